import Foundation

/// One failed attempt that the client will try again, for callers that show progress (the CLI
/// prints it on stderr; the library itself never prints).
public struct RetryNotice: Sendable, Equatable, CustomStringConvertible {
    /// `POST /v1/chat/completions`, ...
    public var endpoint: String
    /// The attempt that failed (1-based) and how many are allowed in all.
    public var failedAttempt: Int
    public var maxAttempts: Int
    /// Why it failed: `timed out after 60 s`, `HTTP 503: …`, `connection failed: …`.
    public var reason: String
    /// Seconds before the next attempt.
    public var delay: Double

    public init(endpoint: String, failedAttempt: Int, maxAttempts: Int, reason: String, delay: Double) {
        self.endpoint = endpoint
        self.failedAttempt = failedAttempt
        self.maxAttempts = maxAttempts
        self.reason = reason
        self.delay = delay
    }

    /// `waiting for the LLM server: POST /v1/completions attempt 1 of 4 timed out after 60 s; attempt 2 in 0.4 s`
    public var description: String {
        "waiting for the LLM server: \(endpoint) attempt \(failedAttempt) of \(maxAttempts) \(reason); "
            + "attempt \(failedAttempt + 1) in \(String(format: "%.1f", delay)) s"
    }
}
