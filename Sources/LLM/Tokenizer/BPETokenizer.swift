/// Byte-level BPE tokenizer built from a GGUF file's `tokenizer.ggml.*` metadata.
///
/// Encoding: split out special tokens (only when asked), pre-tokenize each stretch of plain text
/// into words, map each word's UTF-8 bytes to GPT-2's byte-level alphabet, then repeatedly merge
/// the adjacent pair with the lowest merge rank (llama2.c `encode`, with ranks instead of scores).
/// The model adds no BOS token (`tokenizer.ggml.add_bos_token` is false).
public final class BPETokenizer: Sendable {
    /// Token types of `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).
    public enum TokenType: Int, Sendable {
        case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// Token strings in byte-level form (`Ġworld`), indexed by id.
    public let tokens: [String]
    /// The type of each token.
    public let types: [TokenType]
    /// Ids that end generation: EOS, and the tokens llama.cpp also treats as end of generation.
    public let endOfGenerationIDs: Set<Int>
    /// The pre-tokenizer named by `tokenizer.ggml.pre`.
    public let preTokenizer: PreTokenizer

    private let ids: [String: Int]
    private let ranks: [String: Int]
    /// Control and user-defined tokens, longest first, for splitting special tokens out of text.
    private let specials: [(text: String, id: Int, type: TokenType)]

    /// Token texts that llama.cpp adds to the end-of-generation set when present (llama-vocab.cpp:
    /// EOT names and the FIM "repo" token `<reponame>`).
    static let endOfGenerationNames = ["<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<reponame>"]

    /// Reads the vocabulary, token types and merges from `gguf`.
    public init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else { throw TokenizerError.unsupportedModel(model) }
        preTokenizer = try PreTokenizer(name: gguf.metadata["tokenizer.ggml.pre"]?.stringValue ?? "default")

        let tokenValues = try gguf.array("tokenizer.ggml.tokens")
        var tokens: [String] = []
        tokens.reserveCapacity(tokenValues.count)
        for (i, v) in tokenValues.enumerated() {
            guard let s = v.stringValue else { throw TokenizerError.invalidEntry(key: "tokenizer.ggml.tokens", index: i) }
            tokens.append(s)
        }
        var types = [TokenType](repeating: .normal, count: tokens.count)
        if gguf.metadata["tokenizer.ggml.token_type"] != nil {
            let typeValues = try gguf.array("tokenizer.ggml.token_type")
            guard typeValues.count == tokens.count else {
                throw TokenizerError.lengthMismatch(tokens: tokens.count, types: typeValues.count)
            }
            for (i, v) in typeValues.enumerated() {
                guard let code = v.intValue, let type = TokenType(rawValue: code) else {
                    throw TokenizerError.invalidEntry(key: "tokenizer.ggml.token_type", index: i)
                }
                types[i] = type
            }
        }
        var ranks: [String: Int] = [:]
        for (i, v) in try gguf.array("tokenizer.ggml.merges").enumerated() {
            guard let s = v.stringValue, s.contains(" ") else {
                throw TokenizerError.invalidEntry(key: "tokenizer.ggml.merges", index: i)
            }
            if ranks[s] == nil { ranks[s] = i }
        }
        var ids: [String: Int] = [:]
        for (i, t) in tokens.enumerated() where ids[t] == nil { ids[t] = i }

        var eog = Set<Int>()
        for key in ["tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id"] {
            if let id = gguf.metadata[key]?.intValue, tokens.indices.contains(id) { eog.insert(id) }
        }
        for name in Self.endOfGenerationNames { if let id = ids[name] { eog.insert(id) } }

        self.tokens = tokens
        self.types = types
        self.ids = ids
        self.ranks = ranks
        self.endOfGenerationIDs = eog
        self.specials = tokens.indices
            .filter { types[$0] == .control || types[$0] == .userDefined }
            .map { (tokens[$0], $0, types[$0]) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.text.utf8.count > $1.text.utf8.count }
    }

    /// The id of an exact token string (byte-level form for normal tokens), or nil.
    public func id(of token: String) -> Int? { ids[token] }

    // MARK: - Encoding

    /// Token ids of `text`.
    /// - Parameters:
    ///   - text: The text to encode.
    ///   - parseSpecial: When true, control tokens such as `<|im_start|>` written in the text become
    ///     their ids; when false they are tokenized as plain text (user-defined tokens always are ids,
    ///     as in llama.cpp).
    /// - Returns: The ids, with no BOS added.
    public func encode(_ text: String, parseSpecial: Bool = false) -> [Int] {
        var out: [Int] = []
        for segment in splitSpecial(text, parseSpecial: parseSpecial) {
            switch segment {
            case .special(let id): out.append(id)
            case .text(let t):
                for word in preTokenizer.split(t) { encodeWord(word, into: &out) }
            }
        }
        return out
    }

    private enum Segment { case text(String), special(Int) }

    private func splitSpecial(_ text: String, parseSpecial: Bool) -> [Segment] {
        let candidates = specials.filter { parseSpecial || $0.type == .userDefined }
        guard !candidates.isEmpty, !text.isEmpty else { return text.isEmpty ? [] : [.text(text)] }
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var plainStart = 0
        var i = 0
        let candidateBytes = candidates.map { (Array($0.text.utf8), $0.id) }
        while i < bytes.count {
            var matched: (length: Int, id: Int)?
            for (t, id) in candidateBytes where t.count <= bytes.count - i && t.first == bytes[i] {
                if bytes[i..<(i + t.count)].elementsEqual(t) { matched = (t.count, id); break }
            }
            if let m = matched {
                if plainStart < i { segments.append(.text(String(decoding: bytes[plainStart..<i], as: UTF8.self))) }
                segments.append(.special(m.id))
                i += m.length
                plainStart = i
            } else {
                i += 1
            }
        }
        if plainStart < bytes.count { segments.append(.text(String(decoding: bytes[plainStart...], as: UTF8.self))) }
        return segments
    }

    /// BPE over one pre-tokenized word: merge the lowest-ranked adjacent pair until none applies.
    private func encodeWord(_ word: String, into out: inout [Int]) {
        var symbols = Array(word.utf8).map { String(ByteLevel.byteToScalar[Int($0)]) }
        if symbols.count > 1 {
            while true {
                var best: (rank: Int, index: Int)?
                for i in 0..<(symbols.count - 1) {
                    if let r = ranks[symbols[i] + " " + symbols[i + 1]], r < (best?.rank ?? Int.max) { best = (r, i) }
                }
                guard let b = best else { break }
                symbols[b.index] += symbols[b.index + 1]
                symbols.remove(at: b.index + 1)
            }
        }
        for s in symbols {
            if let id = ids[s] {
                out.append(id)
            } else {
                // a merged symbol missing from the vocabulary falls back to its single bytes
                for scalar in s.unicodeScalars { if let id = ids[String(scalar)] { out.append(id) } }
            }
        }
    }

    // MARK: - Decoding

    /// The raw bytes token `id` stands for; control tokens give their text only when `renderSpecial`.
    public func bytes(of id: Int, renderSpecial: Bool = false) -> [UInt8] {
        guard tokens.indices.contains(id) else { return [] }
        let token = tokens[id]
        switch types[id] {
        case .control: return renderSpecial ? Array(token.utf8) : []
        case .userDefined, .unknown: return Array(token.utf8)
        case .byte:
            // "<0xAB>"
            if token.count == 6, let b = UInt8(token.dropFirst(3).prefix(2), radix: 16) { return [b] }
            return Array(token.utf8)
        default: return ByteLevel.decode(token) ?? Array(token.utf8)
        }
    }

    /// The text of `ids` (invalid UTF-8 from a partial sequence becomes U+FFFD).
    public func decode(_ ids: [Int], renderSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids { bytes += self.bytes(of: id, renderSpecial: renderSpecial) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
