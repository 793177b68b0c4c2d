import Dispatch
import Foundation
import LLMInterface

/// The in-process SmolLM2 runtime behind `LLMClient` (the workbench's default, offline LLM).
///
/// Thread-safe: requests run one at a time on a private serial queue (the forward pass already
/// uses both cores), off Swift's cooperative pool. Cancelling the calling task stops generation
/// between tokens with `LLMError.cancelled`.
public final class EmbeddedLLM: LLMClient {
    /// The model's configuration.
    public let configuration: LlamaConfiguration
    /// The tokenizer (for callers that count tokens).
    public let tokenizer: BPETokenizer
    /// The system prompt sent with chat prompts that do not start with a system message.
    public let systemPrompt: ChatTemplate.SystemPrompt
    /// Positions a request may use: its prompt tokens plus its maximum new tokens.
    public let contextLength: Int
    /// How the model computes its weight products.
    public let precision: ProductPrecision
    private let engine: Engine
    private let queue = DispatchQueue(label: "hydra.embedded-llm")

    /// The generator and its buffers, only touched on `queue`.
    private final class Engine: @unchecked Sendable {
        let generator: Generator
        init(_ generator: Generator) { self.generator = generator }
    }

    /// Loads the GGUF model at `modelURL`.
    /// - Parameters:
    ///   - modelURL: A llama-architecture GGUF file (SmolLM2-135M-Instruct.Q4_1.gguf).
    ///   - systemPrompt: Defaults to `.engineDefault`; see `ChatTemplate` for why.
    ///   - precision: The weight products' arithmetic; the app passes `.standard` (int8).
    public init(modelURL: URL, systemPrompt: ChatTemplate.SystemPrompt = .engineDefault,
                precision: ProductPrecision = .exact) throws {
        let gguf = try GGUFFile(url: modelURL)
        let model = try LlamaModel(gguf: gguf, precision: precision)
        self.precision = precision
        tokenizer = try BPETokenizer(gguf: gguf)
        configuration = model.configuration
        self.systemPrompt = systemPrompt
        modelID = modelURL.deletingPathExtension().lastPathComponent
        // prompts of HYDRA's tasks stay well under 4096 tokens; the training context is 8192
        let state = model.makeState(maxRows: 256, maxContext: min(model.configuration.contextLength, 4096))
        contextLength = state.maxContext
        engine = Engine(Generator(model: model, tokenizer: tokenizer, state: state))
    }

    /// `embedded` for the exact products, `embedded-int8` for the integer ones: their outputs
    /// differ, so the generation cache and a session's kept runs keep them apart.
    public var backendID: String { precision == .exact ? "embedded" : "embedded-" + precision.rawValue }
    public let modelID: String

    /// Token ids of `prompt` as this client sends it.
    public func tokens(of prompt: LLMPrompt) -> [Int] {
        switch prompt {
        case .raw(let text): tokenizer.encode(text, parseSpecial: true)
        case .chat(let messages): tokenizer.encode(ChatTemplate.format(messages, systemPrompt: systemPrompt), parseSpecial: true)
        }
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        try await samples(prompt, parameters: parameters, n: n).map(Self.completion)
    }

    /// The samples with their token ids and, when `topLogits` > 0, the top logits of every step
    /// (what `hydra generate --logits K` prints). `onText(sample, piece)` receives each sample's
    /// text as it is decoded, in whole characters, before stop strings are cut.
    /// - Throws: `ContextLengthExceeded` when the prompt and `parameters.maxTokens` do not fit.
    public func samples(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int, topLogits: Int = 0,
                        onText: (@Sendable (Int, String) -> Void)? = nil) async throws -> [GeneratedSample]
    {
        try parameters.validate()
        let ids = tokens(of: prompt)
        // refused here rather than on the queue, so it does not wait behind other requests
        try ContextLengthExceeded.check(promptTokens: ids.count, followingTokens: parameters.maxTokens,
                                        contextLength: contextLength)
        let tokenizer = self.tokenizer
        return try await run { engine, cancelled in
            var pieces = Array(repeating: UTF8PieceDecoder(), count: max(0, n))
            return try engine.generator.generate(promptTokens: ids, parameters: parameters, n: n, topLogits: topLogits) {
                stream, token in
                if let onText, let piece = pieces[stream].append(tokenizer.bytes(of: token)) { onText(stream, piece) }
                return !cancelled.isSet
            }
        }
    }

    /// A sample as the shared protocol's completion, with the OpenAI API's finish reason.
    static func completion(_ sample: GeneratedSample) -> Completion {
        Completion(text: sample.text, tokenIDs: sample.tokens, finishReason: sample.finishReason.apiValue)
    }

    /// - Throws: `ContextLengthExceeded` when the prompt and the longest option do not fit.
    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let ids = tokens(of: prompt)
        try ContextLengthExceeded.check(promptTokens: ids.count, followingTokens: 0, contextLength: contextLength)
        return try await run { engine, _ in try engine.generator.choiceLogProbabilities(promptTokens: ids, options: options) }
    }

    /// Runs `work` on the serial queue, flagging cancellation of the calling task.
    private func run<T: Sendable>(_ work: @escaping @Sendable (Engine, CancellationFlag) throws -> T) async throws -> T {
        let flag = CancellationFlag()
        let engine = self.engine
        let queue = self.queue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    if flag.isSet { return continuation.resume(throwing: CancellationError()) }
                    // The shared protocol promises CancellationError for a cancelled call.
                    continuation.resume(with: Result {
                        do { return try work(engine, flag) } catch LLMError.cancelled { throw CancellationError() }
                    })
                }
            }
        } onCancel: {
            flag.set()
        }
    }
}

/// A flag set from `onCancel` and read by the generation loop between tokens.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
