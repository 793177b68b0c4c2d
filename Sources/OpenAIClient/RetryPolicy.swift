import Foundation

/// When and how long to wait before trying a request again.
///
/// Retried: 429, 5xx, connection errors, timeouts and malformed 2xx bodies. Not retried: other 4xx.
/// The wait before attempt `k + 1` is "full jitter" (a uniform draw in `0 ... min(maxDelay,
/// baseDelay * 2^(k-1))`), raised to the server's `Retry-After` when it sent one.
public struct RetryPolicy: Sendable, Equatable {
    /// Total tries per call, including the first (at least 1).
    public var maxAttempts: Int
    /// Seconds; the backoff cap for the first retry.
    public var baseDelay: Double
    /// Seconds; no backoff draw exceeds this.
    public var maxDelay: Double
    /// Seconds; a `Retry-After` longer than this is clamped to it.
    public var maxRetryAfter: Double

    /// Defaults: 4 attempts, backoff caps 0.5 s, 1 s, 2 s, … up to 20 s, `Retry-After` up to 60 s.
    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 20,
                maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait after failed attempt `attempt` (1-based).
    /// - Parameters:
    ///   - retryAfter: the server's `Retry-After` in seconds, if any.
    ///   - random: a draw in `0 ..< 1` (injectable so tests are deterministic).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double {
        let exponent = Double(max(0, attempt - 1))
        let cap = min(maxDelay, baseDelay * pow(2, exponent))
        let jittered = cap * min(max(random, 0), 1)
        guard let retryAfter else { return jittered }
        return max(jittered, min(max(retryAfter, 0), maxRetryAfter))
    }

    /// Parses a `Retry-After` header: delay-seconds (`"3"`, `"1.5"`) or an HTTP date
    /// (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`.
    /// - Returns: seconds to wait (never negative), or `nil` if the value is neither form.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds.isFinite {
            return max(0, seconds)
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // IMF-fixdate first, then the two obsolete forms RFC 9110 still asks recipients to accept.
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                return max(0, date.timeIntervalSince(now))
            }
        }
        return nil
    }
}
