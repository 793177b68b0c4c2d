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
    /// Called before each retry (from the calling task), so a caller can show that it waits.
    public var onRetry: (@Sendable (RetryNotice) -> Void)?

    /// The default seconds per attempt.
    public static let defaultRequestTimeout: Double = 60

    /// Defaults: 60 s per attempt, 4 requests in flight, 4 attempts, guided choice tried first.
    public init(baseURL: URL, model: String, apiKeyVariable: String? = nil,
                requestTimeout: Double = OpenAIClientConfiguration.defaultRequestTimeout, maxConcurrentRequests: Int = 4,
                retry: RetryPolicy = RetryPolicy(), tryGuidedChoice: Bool = true,
                freeTextChoiceMaxTokens: Int = 32, onRetry: (@Sendable (RetryNotice) -> Void)? = nil) {
        self.baseURL = baseURL
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        self.requestTimeout = requestTimeout
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.retry = retry
        self.tryGuidedChoice = tryGuidedChoice
        self.freeTextChoiceMaxTokens = freeTextChoiceMaxTokens
        self.onRetry = onRetry
    }

    /// Why `url` cannot be a server's base URL (not http(s), or no host, as in `http:///v1`),
    /// or nil when it can. Such a URL fails at once instead of being retried.
    public static func problem(withBaseURL url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "\(url.absoluteString) is not an http(s) URL"
        }
        guard let host = url.host, !host.isEmpty else { return "\(url.absoluteString) has no host" }
        return nil
    }
}
