/// Byte-level BPE tokenizer built from a GGUF file's `tokenizer.ggml.*` metadata.
///
/// Encoding: split out special tokens (only when asked), pre-tokenize each stretch of plain text
/// into words, map each word's UTF-8 bytes to GPT-2's byte-level alphabet, then repeatedly merge
/// the adjacent pair with the lowest merge rank (llama2.c `encode`, with ranks instead of scores,
/// and a heap of candidate pairs instead of a rescan after every merge).
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
    /// Merge rank of each `left right` pair (its line in `tokenizer.ggml.merges`).
    let ranks: [String: Int]
    /// The rank of a merge and the id of its result (-1 when the merged text is no token).
    struct PairMerge {
        var rank: Int32
        var result: Int32
    }
    /// The merges whose two parts are tokens, keyed by `pairKey` of their ids: the merge loop looks
    /// pairs up by id instead of building their text.
    private let pairMerges: [UInt64: PairMerge]
    /// The id of each byte's one-scalar token, or -1.
    private let byteTokenIDs: [Int32]
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
        var pairMerges: [UInt64: PairMerge] = [:]
        for (merge, rank) in ranks {
            // byte-level text has no spaces, so a merge with more than one can never apply
            let parts = merge.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
            guard parts.count == 2, let left = ids[parts[0]], let right = ids[parts[1]] else { continue }
            pairMerges[Self.pairKey(Int32(left), Int32(right))] = PairMerge(
                rank: Int32(rank), result: Int32(ids[parts[0] + parts[1]] ?? -1))
        }
        self.pairMerges = pairMerges
        byteTokenIDs = ByteLevel.byteStrings.map { Int32(ids[$0] ?? -1) }
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

    enum Segment { case text(String), special(Int) }

    func splitSpecial(_ text: String, parseSpecial: Bool) -> [Segment] {
        let candidates = specials.filter { parseSpecial || $0.type == .userDefined }
        guard !candidates.isEmpty, !text.isEmpty else { return text.isEmpty ? [] : [.text(text)] }
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var plainStart = 0
        var i = 0
        // by first byte, longest first, so most bytes of a long text are checked against nothing
        var candidatesByFirstByte = [[(bytes: [UInt8], id: Int)]](repeating: [], count: 256)
        for candidate in candidates {
            let candidateBytes = Array(candidate.text.utf8)
            candidatesByFirstByte[Int(candidateBytes[0])].append((candidateBytes, candidate.id))
        }
        while i < bytes.count {
            var matched: (length: Int, id: Int)?
            for (t, id) in candidatesByFirstByte[Int(bytes[i])] where t.count <= bytes.count - i {
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

    /// BPE over one pre-tokenized word: merge the lowest-ranked adjacent pair (the leftmost among
    /// equal ranks) until none applies.
    ///
    /// Rescanning every pair after each merge (llama2.c's way) is quadratic in the word's length, and
    /// one pre-token can be a whole 10 MB request. Instead symbol i covers `bytes[i ..< i + length[i]]`,
    /// linked to its left neighbour by `previous[i]` (its right one starts at `i + length[i]`), and
    /// the candidate pairs wait in a heap: O(n log n) time, about 25 bytes of memory per input byte.
    func encodeWord(_ word: String, into out: inout [Int]) {
        let bytes = Array(word.utf8)
        let count = bytes.count
        precondition(count < Int32.max, "a pre-token of 2 GB or more")
        var tokenID = bytes.map { byteTokenIDs[Int($0)] }
        if count > 1 {
            // 0 once a symbol is merged into its left neighbour
            var length = [Int32](repeating: 1, count: count)
            var previous = Array(Int32(-1)..<Int32(count - 1))
            var queue = MergeQueue(reservingCapacity: count)
            func pairMerge(_ left: Int, _ right: Int) -> PairMerge? {
                if tokenID[left] >= 0 && tokenID[right] >= 0 { return pairMerges[Self.pairKey(tokenID[left], tokenID[right])] }
                // a symbol that is no token (a merge result missing from the vocabulary) matches by text
                let leftText = ByteLevel.encode(bytes[left..<right])
                let rightText = ByteLevel.encode(bytes[right..<(right + Int(length[right]))])
                return ranks[leftText + " " + rightText].map {
                    PairMerge(rank: Int32($0), result: Int32(ids[leftText + rightText] ?? -1))
                }
            }
            func queuePair(_ left: Int, _ right: Int) {
                guard let merge = pairMerge(left, right) else { return }
                queue.push(CandidateMerge(rank: merge.rank, left: Int32(left), byteCount: length[left] + length[right]))
            }
            for i in 0..<(count - 1) { queuePair(i, i + 1) }
            while let candidate = queue.popFirst() {
                let left = Int(candidate.left)
                let right = left + Int(length[left])
                // the pair is stale when either symbol was merged with another since it was queued
                guard length[left] > 0, right < count, length[left] + length[right] == candidate.byteCount,
                      let merge = pairMerge(left, right) else { continue }
                length[left] = candidate.byteCount
                length[right] = 0
                tokenID[left] = merge.result
                let next = left + Int(length[left])
                if next < count {
                    previous[next] = Int32(left)
                    queuePair(left, next)
                }
                if previous[left] >= 0 { queuePair(Int(previous[left]), left) }
            }
            var i = 0
            while i < count {
                emit(symbol: i..<(i + Int(length[i])), id: tokenID[i], of: bytes, into: &out)
                i += Int(length[i])
            }
        } else if count == 1 {
            emit(symbol: 0..<1, id: tokenID[0], of: bytes, into: &out)
        }
    }

    private func emit(symbol: Range<Int>, id: Int32, of bytes: [UInt8], into out: inout [Int]) {
        if id >= 0 {
            out.append(Int(id))
        } else {
            // a merged symbol missing from the vocabulary falls back to its single bytes
            for byte in bytes[symbol] where byteTokenIDs[Int(byte)] >= 0 { out.append(Int(byteTokenIDs[Int(byte)])) }
        }
    }

    /// The key of a pair of token ids in `pairMerges`.
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
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
