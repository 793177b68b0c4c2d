import Foundation

/// BERT uncased WordPiece tokenizer, matching HuggingFace `BertNormalizer` + `BertPreTokenizer` +
/// `WordPiece` as sentence-transformers runs it for all-MiniLM-L6-v2.
///
/// Steps (see the `pipeline` block of `minilm_embeddings.json`): clean text (drop NUL, U+FFFD and
/// control characters other than tab/newline/CR; map whitespace to a space), put spaces around
/// CJK ideographs, strip accents (NFD, drop non-spacing marks), lower-case, split on whitespace and
/// punctuation, then greedy longest-match-first WordPiece with the `##` continuation prefix. A word
/// over 100 characters, or one with no full match, becomes a single `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    /// Token → id (line number in `vocab.txt`, from 0).
    let vocabulary: [String: Int32]
    /// id → token.
    let tokens: [String]
    /// Id of `[PAD]`, `[UNK]`, `[CLS]`, `[SEP]`.
    public let padID: Int32, unknownID: Int32, classID: Int32, separatorID: Int32
    /// Longest sequence including `[CLS]`/`[SEP]` (sentence-transformers' `max_seq_length`).
    public let maxSequenceLength: Int
    /// Words longer than this many characters become `[UNK]` (HF `max_input_chars_per_word`).
    public let maxCharactersPerWord = 100

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// Loads `vocab.txt` (one token per line; the id is the 0-based line number).
    /// - Parameters:
    ///   - vocabularyURL: the vocabulary file.
    ///   - maxSequenceLength: truncation length including `[CLS]` and `[SEP]` (at least 2).
    /// - Throws: `EncoderError.invalidVocabulary` (unreadable, not UTF-8, empty line, duplicate)
    ///   or `.missingSpecialToken`.
    public init(vocabularyURL: URL, maxSequenceLength: Int = 256) throws {
        let data: Data
        do {
            data = try Data(contentsOf: vocabularyURL)
        } catch {
            throw EncoderError.invalidVocabulary(path: vocabularyURL.path, line: 0, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EncoderError.invalidVocabulary(path: vocabularyURL.path, line: 0, reason: "not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, source: vocabularyURL.path, maxSequenceLength: maxSequenceLength)
    }

    /// Builds a tokenizer from an in-memory token list (id = index).
    /// - Throws: as `init(vocabularyURL:maxSequenceLength:)`, with `source` as the path.
    public init(tokens: [String], source: String = "<memory>", maxSequenceLength: Int = 256) throws {
        precondition(maxSequenceLength >= 2, "maxSequenceLength must leave room for [CLS] and [SEP]")
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            guard !token.isEmpty else {
                throw EncoderError.invalidVocabulary(path: source, line: index + 1, reason: "empty token")
            }
            guard vocabulary.updateValue(Int32(index), forKey: token) == nil else {
                throw EncoderError.invalidVocabulary(path: source, line: index + 1, reason: "duplicate token '\(token)'")
            }
        }
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else { throw EncoderError.missingSpecialToken(token) }
            return id
        }
        self.vocabulary = vocabulary
        self.tokens = tokens
        padID = try special("[PAD]")
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
        self.maxSequenceLength = maxSequenceLength
    }

    /// The model input ids of one text: `[CLS]`, word pieces cut to `maxSequenceLength - 2`, `[SEP]`.
    /// An empty (or all-whitespace/control) text gives `[CLS] [SEP]`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [classID]
        let budget = maxSequenceLength - 2
        for word in BertTextNormalizer.words(of: text) {
            appendWordPieces(of: word, to: &ids, budget: budget)
            if ids.count - 1 >= budget { break }
        }
        if ids.count - 1 > budget { ids.removeLast(ids.count - 1 - budget) }
        ids.append(separatorID)
        return ids
    }

    /// Text from raw bytes that may not be valid UTF-8 (e.g. a line of an input file).
    ///
    /// Documented behaviour for invalid UTF-8: each invalid sequence becomes U+FFFD, which
    /// `encode` then drops as HuggingFace's `clean_text` does, so the valid parts still tokenize.
    public static func decodeText(_ bytes: Data) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The token strings of ids (unknown ids print as `[UNK]`).
    public func tokens(of ids: [Int32]) -> [String] {
        ids.map { Int($0) >= 0 && Int($0) < tokens.count ? tokens[Int($0)] : "[UNK]" }
    }

    /// Greedy longest-match-first WordPiece of one normalized word (a list of scalars).
    private func appendWordPieces(of word: [Unicode.Scalar], to ids: inout [Int32], budget: Int) {
        if word.count > maxCharactersPerWord {
            ids.append(unknownID)
            return
        }
        let mark = ids.count
        var start = 0
        var piece = String.UnicodeScalarView()
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                piece.removeAll(keepingCapacity: true)
                if start > 0 { piece.append(contentsOf: "##".unicodeScalars) }
                piece.append(contentsOf: word[start..<end])
                if let id = vocabulary[String(piece)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                // no piece matches at `start`: the whole word is unknown
                ids.removeLast(ids.count - mark)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
