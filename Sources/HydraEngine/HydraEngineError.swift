import Foundation

/// Errors of the engine, naming the user, question or stage.
public enum HydraEngineError: Error, Equatable, CustomStringConvertible {
    /// The dataset lacks a split the run needs.
    case missingSplit(String)
    /// A split has no gold outputs, so labels or metrics cannot be computed.
    case missingGolds(split: String)
    /// The task has no answer field, so profile items cannot become pseudo-queries.
    case noPseudoQueries(task: String)
    /// The LLM returned no candidates for a prompt.
    case emptyCompletion(questionID: String)
    /// A setting is out of range.
    case invalidSetting(name: String, value: String)

    public var description: String {
        switch self {
        case .missingSplit(let s): return "the dataset has no \(s) split"
        case .missingGolds(let s): return "the \(s) split has no outputs file (golds are needed)"
        case .noPseudoQueries(let t): return "\(t) profile items have no answer field; pseudo-queries are unavailable"
        case .emptyCompletion(let q): return "question \(q): the LLM returned no completion"
        case let .invalidSetting(name, value): return "invalid setting \(name) = \(value)"
        }
    }
}
