import Dispatch
import Foundation
import LLMInterface

/// The in-process SmolLM2 runtime behind `LLMClient` (the workbench's default, offline LLM).
///
/// Thread-safe: every request joins one continuous batch on the runtime's own thread
/// (`BatchScheduler`), so concurrent calls — the engine's labelling and inference stages, `hydra
/// serve`'s clients — decode together in one forward pass per token instead of waiting in line.
/// Cancelling the calling task takes its request out of the batch between tokens with
/// `CancellationError`; the other requests go on.
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
    private let scheduler: BatchScheduler
    /// Calls, tokens and busy seconds so far (`usage` adds the forward passes' timings).
    let usageCounter = LLMUsageCounter()
    /// The forward passes' seconds by phase.
    let forwardTimings: ForwardTimings

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
        forwardTimings = state.timings
        scheduler = BatchScheduler(engine: BatchEngine(model: model, tokenizer: tokenizer, state: state),
                                   usage: usageCounter)
    }

    deinit { scheduler.shutdown() }

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
        let decoders = PieceDecoders(count: n)
        let output = try await run(ids, .generate(parameters: parameters, n: n, topLogits: topLogits)) { [tokenizer] stream, token in
            if let onText, let piece = decoders.append(stream, tokenizer.bytes(of: token)) { onText(stream, piece) }
            return true
        }
        guard case .samples(let samples) = output else { preconditionFailure("a generate request ends with samples") }
        recordGenerate(promptTokens: ids.count, samples: samples)
        return samples
    }

    /// A sample as the shared protocol's completion, with the OpenAI API's finish reason.
    static func completion(_ sample: GeneratedSample) -> Completion {
        Completion(text: sample.text, tokenIDs: sample.tokens, finishReason: sample.finishReason.apiValue)
    }

    /// - Throws: `ContextLengthExceeded` when the prompt and the longest option do not fit.
    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let ids = tokens(of: prompt)
        try ContextLengthExceeded.check(promptTokens: ids.count, followingTokens: 0, contextLength: contextLength)
        let output = try await run(ids, .choose(answers: options.map { tokenizer.encode($0) }), onToken: nil)
        guard case .choice(let scores) = output else { preconditionFailure("a choose request ends with scores") }
        recordChoose(promptTokens: ids.count, options: options)
        return scores
    }

    /// Submits a request to the batch and waits for it; cancelling the calling task takes the
    /// request out of the batch at the next step.
    private func run(_ ids: [Int], _ work: BatchWork, onToken: ((Int, Int) -> Bool)?) async throws -> BatchOutput {
        let flag = CancellationFlag()
        let scheduler = self.scheduler
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                scheduler.submit(BatchRequest(
                    promptTokens: ids, work: work, onToken: onToken, isCancelled: { flag.isSet },
                    finish: { result in
                        // the shared protocol promises CancellationError for a cancelled call
                        continuation.resume(with: result.mapError { error in
                            if case LLMError.cancelled = error { return CancellationError() }
                            return error
                        })
                    }))
            }
        } onCancel: {
            flag.set()
        }
    }
}

/// Each sample's UTF-8 piece decoder, used only on the runtime's thread.
private final class PieceDecoders: @unchecked Sendable {
    private var decoders: [UTF8PieceDecoder]
    init(count: Int) { decoders = Array(repeating: UTF8PieceDecoder(), count: max(0, count)) }
    func append(_ stream: Int, _ bytes: [UInt8]) -> String? { decoders[stream].append(bytes) }
}

/// A flag set from `onCancel` and read by the batch between steps.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
