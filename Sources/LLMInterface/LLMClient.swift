/// The black box HYDRA personalizes: a prompt in, N sampled texts out.
///
/// Every backend (the embedded SmolLM2 runtime, any OpenAI-compatible server, the caching
/// wrapper) conforms to `LLMClient`, so the engine never knows which one it talks to.

/// One chat message.
public struct ChatMessage: Codable, Sendable, Hashable {
    /// `system`, `user` or `assistant`.
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// What the model is asked.
public enum LLMPrompt: Sendable, Hashable {
    /// Chat messages, formatted by the backend's chat template.
    case chat([ChatMessage])
    /// Text used as-is (special tokens such as `<|im_start|>` are parsed).
    case raw(String)
}

/// How to sample. A temperature of 0 is greedy decoding, which is deterministic.
public struct SamplingParameters: Codable, Sendable, Hashable {
    public var temperature: Double
    public var topP: Double
    /// 0 disables top-k.
    public var topK: Int
    public var maxTokens: Int
    /// Generation stops before the first occurrence of any of these.
    public var stop: [String]
    public var seed: UInt64

    public init(temperature: Double = 1, topP: Double = 1, topK: Int = 0, maxTokens: Int = 64,
                stop: [String] = [], seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxTokens = maxTokens
        self.stop = stop
        self.seed = seed
    }

    /// Greedy decoding with the given token budget.
    public static func greedy(maxTokens: Int = 64) -> SamplingParameters {
        SamplingParameters(temperature: 0, maxTokens: maxTokens)
    }
}

/// One sampled text.
public struct Completion: Codable, Sendable, Hashable {
    public var text: String
    /// The generated token ids, when the backend exposes them.
    public var tokenIDs: [Int]?
    /// `stop` (end of generation or a stop string) or `length` (max tokens reached).
    public var finishReason: String

    public init(text: String, tokenIDs: [Int]? = nil, finishReason: String) {
        self.text = text
        self.tokenIDs = tokenIDs
        self.finishReason = finishReason
    }
}

/// A language model the engine can call but not look inside.
public protocol LLMClient: Sendable {
    /// Identifies the backend in cache keys and reports, e.g. `embedded` or `openai:http://host:8000/v1`.
    var backendID: String { get }
    /// The model's name, e.g. `SmolLM2-135M-Instruct.Q4_1`.
    var modelID: String { get }

    /// Samples `n` completions of one prompt.
    /// - Throws: `CancellationError` when the calling task is cancelled, or the backend's error.
    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion]

    /// The log-probability of each option as the continuation of the prompt (constrained choice
    /// for classification tasks); the result has one entry per option, in order.
    func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double]
}

/// A prompt, with the positions that must follow it, does not fit in the model's context window.
///
/// Backends throw it before allocating anything for the prompt, so a request that can never
/// succeed is refused at once (OpenAI's `context_length_exceeded`; llama.cpp refuses a prompt
/// longer than `n_ctx` the same way).
public struct ContextLengthExceeded: Error, Equatable, Sendable, CustomStringConvertible {
    /// Tokens in the prompt as the backend formats it.
    public var promptTokens: Int
    /// Positions needed after the prompt: the maximum new tokens (OpenAI counts `max_tokens`
    /// against the context), or what a constrained choice's longest answer needs.
    public var followingTokens: Int
    /// Positions the model's context holds.
    public var contextLength: Int

    public init(promptTokens: Int, followingTokens: Int, contextLength: Int) {
        self.promptTokens = promptTokens
        self.followingTokens = followingTokens
        self.contextLength = contextLength
    }

    /// Throws unless a prompt of `promptTokens` and `followingTokens` more fit in `contextLength`.
    public static func check(promptTokens: Int, followingTokens: Int, contextLength: Int) throws {
        guard promptTokens + followingTokens <= contextLength else {
            throw ContextLengthExceeded(promptTokens: promptTokens, followingTokens: followingTokens,
                                        contextLength: contextLength)
        }
    }

    /// Names the token counts and the limit.
    public var description: String {
        if followingTokens == 0 {
            return "the prompt has \(promptTokens) tokens, more than the model's context length of \(contextLength) tokens"
        }
        return "the prompt has \(promptTokens) tokens and \(followingTokens) more are requested after it, "
            + "\(promptTokens + followingTokens) in all, more than the model's context length of \(contextLength) tokens"
    }
}
