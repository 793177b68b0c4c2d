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
