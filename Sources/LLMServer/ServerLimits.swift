/// How much one request may ask of the server, and how many may wait for the model.
///
/// Each cap answers 400 with a message naming the limit (the body cap answers 413), so no single
/// request can hold the model for minutes or the memory for gigabytes, and a full queue answers
/// 429 with `Retry-After` instead of letting clients time out.
public struct ServerLimits: Sendable, Equatable {
    /// Largest `n` (samples per request).
    public var maxN: Int
    /// Largest `max_tokens` / `max_completion_tokens`.
    public var maxTokens: Int
    /// Most `guided_choice` options (each costs a pass over its tokens).
    public var maxChoiceOptions: Int
    /// Longest `guided_choice` option, in UTF-8 bytes.
    public var maxChoiceOptionBytes: Int
    /// Most `stop` strings, and the longest one in UTF-8 bytes (each is searched after every token).
    public var maxStopStrings: Int
    public var maxStopStringBytes: Int
    /// Requests handed to the model at once (the embedded model decodes them in one batch; `hydra
    /// serve` sets 8); the others wait in line.
    public var concurrentModelCalls: Int
    /// Requests that may wait for the model beyond those being served; one more gets 429.
    public var maxQueuedRequests: Int
    /// Seconds the model may work on one request once its turn came (the wait in the queue does
    /// not count); a request that takes longer is cancelled and answered 503.
    public var modelCallTimeout: Double
    /// Larger request bodies are refused with 413 before they are read whole.
    public var maxRequestBytes: Int
    /// Deepest nesting of arrays and objects in a request body (checked before parsing).
    public var maxJSONDepth: Int

    /// 16 MiB: far more than any prompt that fits a context window, yet small enough that holding,
    /// parsing and tokenizing it (tens of bytes per byte for one long word) stays in a few hundred MB.
    public static let defaultMaxRequestBytes = 16 << 20

    /// Defaults sized for the embedded model: `n` ≤ 16, `max_tokens` ≤ 4096 (its context),
    /// 64 options of ≤ 256 bytes, 16 stop strings of ≤ 256 bytes, one model call at a time with
    /// 32 waiting, 10 minutes per call, 16 MiB bodies, JSON nested ≤ 32 deep.
    public init(maxN: Int = 16, maxTokens: Int = 4096, maxChoiceOptions: Int = 64, maxChoiceOptionBytes: Int = 256,
                maxStopStrings: Int = 16, maxStopStringBytes: Int = 256, concurrentModelCalls: Int = 1,
                maxQueuedRequests: Int = 32, modelCallTimeout: Double = 600,
                maxRequestBytes: Int = ServerLimits.defaultMaxRequestBytes, maxJSONDepth: Int = 32) {
        self.maxN = max(1, maxN)
        self.maxTokens = max(0, maxTokens)
        self.maxChoiceOptions = max(1, maxChoiceOptions)
        self.maxChoiceOptionBytes = max(1, maxChoiceOptionBytes)
        self.maxStopStrings = max(0, maxStopStrings)
        self.maxStopStringBytes = max(1, maxStopStringBytes)
        self.concurrentModelCalls = max(1, concurrentModelCalls)
        self.maxQueuedRequests = max(0, maxQueuedRequests)
        self.modelCallTimeout = modelCallTimeout.isFinite && modelCallTimeout > 0 ? modelCallTimeout : 600
        self.maxRequestBytes = max(1, maxRequestBytes)
        self.maxJSONDepth = max(2, maxJSONDepth)
    }
}
