import Basics

/// A weight-free sentence encoder: word unigrams, word bigrams and character n-grams hashed into
/// a fixed number of signed buckets, then L2-normalised ("feature hashing").
///
/// Text is lower-cased and split into words at every character that is not a letter or digit.
/// Features: each word (`w:`), each adjacent word pair (`b:`), and the character 3- and 4-grams of
/// each word padded with `<` and `>` (`c:`), weighted 1, 1 and 0.5. A feature's bucket and sign
/// come from FNV-1a 64 of its UTF-8 bytes, so vectors are identical across runs and processes
/// (unlike Swift's per-process seeded `Hasher`). An empty text (no words) gives the zero vector.
public struct HashingEncoder: SentenceEncoder {
    /// Identifier including the dimension and feature scheme version.
    public var id: String { "hashing-v1-\(dimension)" }
    /// Number of buckets.
    public let dimension: Int

    /// Creates an encoder with `dimension` buckets (384 matches MiniLM).
    public init(dimension: Int = 384) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
    }

    /// One vector per text (see the type's description); never throws.
    public func encode(_ texts: [String]) throws -> [[Float]] {
        texts.map(vector)
    }

    /// The hashed, normalised vector of one text.
    public func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        let words = Self.words(of: text)
        for (index, word) in words.enumerated() {
            add("w:" + word, weight: 1, to: &v)
            if index > 0 { add("b:" + words[index - 1] + " " + word, weight: 1, to: &v) }
            let characters = Array("<" + word + ">")
            for n in 3...4 where characters.count >= n {
                for start in 0...(characters.count - n) {
                    add("c:" + String(characters[start..<(start + n)]), weight: 0.5, to: &v)
                }
            }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for i in v.indices { v[i] /= norm } }
        return v
    }

    /// Lower-cased maximal runs of letters and digits.
    static func words(of text: String) -> [String] {
        text.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
    }

    private func add(_ feature: String, weight: Float, to v: inout [Float]) {
        let h = FNV1a64.hash(feature)
        let bucket = Int(h % UInt64(dimension))
        v[bucket] += (h >> 63) == 0 ? weight : -weight
    }
}
