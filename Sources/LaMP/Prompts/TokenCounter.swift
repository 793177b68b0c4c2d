/// Counts and cuts text in the tokens of some tokenizer, so prompts can be fitted to a budget.
///
/// The prompt builder only needs these two operations; the LLM's own tokenizer can conform once
/// it exists, `WhitespaceTokenCounter` stands in until then.
public protocol TokenCounter: Sendable {
    /// The number of tokens in `text`.
    func count(_ text: String) -> Int
    /// The longest start of `text` that has at most `maxTokens` tokens (the whole text when it
    /// fits, the empty string when `maxTokens <= 0`).
    func prefix(_ text: String, maxTokens: Int) -> String
}

/// Tokens are Python's `str.split()` runs of non-whitespace.
public struct WhitespaceTokenCounter: TokenCounter {
    /// The counter (it has no settings).
    public init() {}

    /// The number of whitespace-separated tokens.
    public func count(_ text: String) -> Int {
        PythonText.tokenRanges(text).count
    }

    /// Keeps the text from its first token to the end of token `maxTokens`, spacing unchanged.
    public func prefix(_ text: String, maxTokens: Int) -> String {
        guard maxTokens > 0 else { return "" }
        let ranges = PythonText.tokenRanges(text)
        guard ranges.count > maxTokens else { return text }
        return String(text.unicodeScalars[ranges[0].lowerBound..<ranges[maxTokens - 1].upperBound])
    }
}
