import Foundation

/// Where and how an `OpenAICompatibleClient` talks to its server.
///
/// The API key itself is never part of the configuration: only the NAME of the environment
/// variable that holds it, read at request time, so the key is never stored, logged or written.
public struct OpenAIClientConfiguration: Sendable {
    /// The API root including `/v1`, e.g. `http://127.0.0.1:8000/v1`.
    public var baseURL: URL
    /// The `model` field sent with every request.
    public var model: String
    /// Name of the environment variable holding the API key (sent as `Authorization: Bearer`);
    /// `nil` sends no key.
    public var apiKeyVariable: String?
    /// Seconds one attempt may take before it is abandoned (and maybe retried).
    public var requestTimeout: Double
    /// At most this many requests are in flight at once per client.
    public var maxConcurrentRequests: Int
    /// Retry and backoff rules.
    public var retry: RetryPolicy
    /// Whether `choose` first tries vLLM's `guided_choice` (remembered per client once probed).
    public var tryGuidedChoice: Bool
    /// `max_tokens` for `choose`'s free-text fallback.
    public var freeTextChoiceMaxTokens: Int

    /// Defaults: 60 s per attempt, 4 requests in flight, 4 attempts, guided choice tried first.
    public init(baseURL: URL, model: String, apiKeyVariable: String? = nil,
                requestTimeout: Double = 60, maxConcurrentRequests: Int = 4,
                retry: RetryPolicy = RetryPolicy(), tryGuidedChoice: Bool = true,
                freeTextChoiceMaxTokens: Int = 32) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.requestTimeout = requestTimeout
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.retry = retry
        self.tryGuidedChoice = tryGuidedChoice
        self.freeTextChoiceMaxTokens = freeTextChoiceMaxTokens
    }
}
