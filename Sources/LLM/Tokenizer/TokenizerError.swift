/// Errors building a tokenizer from GGUF metadata.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// `tokenizer.ggml.model` is not `gpt2` (byte-level BPE).
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this runtime does not implement.
    case unsupportedPreTokenizer(String)
    /// Entry `index` of metadata array `key` is malformed.
    case invalidEntry(key: String, index: Int)
    /// The token list and the token-type list differ in length.
    case lengthMismatch(tokens: Int, types: Int)

    public var description: String {
        switch self {
        case .unsupportedModel(let m): "tokenizer: model '\(m)' is not byte-level BPE (gpt2)"
        case .unsupportedPreTokenizer(let p): "tokenizer: pre-tokenizer '\(p)' is not implemented"
        case .invalidEntry(let key, let index): "tokenizer: entry \(index) of '\(key)' is malformed"
        case .lengthMismatch(let t, let y): "tokenizer: \(t) tokens but \(y) token types"
        }
    }
}
