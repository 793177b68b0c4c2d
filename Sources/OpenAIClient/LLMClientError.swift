import Foundation

/// Why a call to a remote `LLMClient` failed.
///
/// Descriptions name the endpoint and what went wrong, never the API key: messages copied from a
/// server are redacted before they are stored here.
public enum LLMClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with a non-success status. `message` is the server's own error message
    /// (for 4xx this is usually the reason, e.g. a bad parameter); `attempts` counts tries made.
    case httpStatus(code: Int, message: String, endpoint: String, attempts: Int)
    /// A 2xx answer that could not be used; `missing` names the field or problem
    /// (`choices[0].message.content`, `invalid JSON at byte 120`, ...).
    case malformedResponse(endpoint: String, missing: String, attempts: Int)
    /// Every attempt timed out (each one after `timeout` seconds).
    case timedOut(endpoint: String, attempts: Int, timeout: Double)
    /// The connection could not be made or broke, on every attempt.
    case connectionFailed(endpoint: String, message: String, attempts: Int)
    /// The environment variable that should hold the API key is not set (its value is never shown).
    case missingAPIKey(variable: String)
    /// The client was configured with something unusable (a bad base URL, `n` < 1, no options).
    case invalidArgument(String)

    /// A one-line explanation naming the endpoint (never the API key).
    public var description: String {
        switch self {
        case let .httpStatus(code, message, endpoint, attempts):
            return "HTTP \(code) from \(endpoint) after \(attempts) attempt(s): \(message)"
        case let .malformedResponse(endpoint, missing, attempts):
            return "malformed response from \(endpoint) after \(attempts) attempt(s): \(missing)"
        case let .timedOut(endpoint, attempts, timeout):
            return "\(endpoint) timed out after \(attempts) attempt(s) of \(timeout) s each"
        case let .connectionFailed(endpoint, message, attempts):
            return "could not reach \(endpoint) after \(attempts) attempt(s): \(message)"
        case let .missingAPIKey(variable):
            return "environment variable \(variable) (the API key) is not set"
        case let .invalidArgument(message):
            return "invalid argument: \(message)"
        }
    }
}

extension LLMClientError: LocalizedError {
    /// Same as `description`.
    public var errorDescription: String? { description }
}
