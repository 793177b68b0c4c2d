import LaMP
import LLM

/// The SmolLM2 tokenizer as the prompt builder's token counter.
public struct BPETokenCounter: TokenCounter {
    public let tokenizer: BPETokenizer

    public init(tokenizer: BPETokenizer) { self.tokenizer = tokenizer }

    public func count(_ text: String) -> Int { tokenizer.encode(text).count }

    public func prefix(_ text: String, maxTokens: Int) -> String {
        guard maxTokens > 0 else { return "" }
        let ids = tokenizer.encode(text)
        guard ids.count > maxTokens else { return text }
        return tokenizer.decode(Array(ids.prefix(maxTokens)))
    }
}
