/// Errors of running the model (as opposed to reading it: `GGUFError`, `TokenizerError`).
public enum LLMError: Error, Equatable, CustomStringConvertible {
    /// A sequence would need more positions than its KV cache (or the model's state) holds.
    case contextFull(needed: Int, capacity: Int)
    /// A token id outside the vocabulary.
    case invalidToken(id: Int, vocabularySize: Int)
    /// The prompt has no tokens.
    case emptyPrompt
    /// A parameter is out of range (`name` says which).
    case invalidParameter(name: String, value: String)
    /// The caller's task was cancelled between tokens.
    case cancelled

    public var description: String {
        switch self {
        case .contextFull(let needed, let capacity): "LLM: \(needed) positions needed but the context holds \(capacity)"
        case .invalidToken(let id, let n): "LLM: token id \(id) is outside the vocabulary of \(n)"
        case .emptyPrompt: "LLM: the prompt has no tokens"
        case .invalidParameter(let name, let value): "LLM: parameter \(name) = \(value) is out of range"
        case .cancelled: "LLM: cancelled"
        }
    }
}
