import Basics

/// A synthetic BM25 corpus: the documented generator of
/// `Tests/Fixtures/reference/bm25_okapi_scores.json` (`generator`), which produced corpus A (300
/// documents, 1000 queries) and defines the 100k-document benchmark corpus.
///
/// Words are syllable strings (`ba`, `be`, … `vu`, `baba`, …) drawn from a 5000-word vocabulary
/// with Zipf weights; queries mix in 5% unknown `zz<number>` tokens. Everything comes from one
/// splitmix64 stream per corpus: all documents first, then all queries.
public struct SyntheticCorpus: Sendable {
    /// The documents, one line of text each (first word capitalized).
    public let documents: [String]
    /// The queries, one line of text each (first word capitalized).
    public let queries: [String]

    /// Corpus A of the reference files: seed 42, 300 documents, 1000 queries.
    public static let caseA = (seed: UInt64(42), documents: 300, queries: 1000)
    /// The large benchmark corpus: seed 43, 100 000 documents, 200 queries.
    public static let caseB = (seed: UInt64(43), documents: 100_000, queries: 200)

    /// Generates a corpus.
    ///
    /// - Parameters:
    ///   - seed: The splitmix64 start state.
    ///   - documents: How many documents (each of 20-80 words).
    ///   - queries: How many queries (each of 5-12 words), drawn after all documents.
    public init(seed: UInt64, documents: Int, queries: Int) {
        var rng = SplitMix64(seed: seed)
        let words = ZipfWords.shared
        var docs: [String] = []
        docs.reserveCapacity(documents)
        for _ in 0..<documents {
            let n = 20 + Int(rng.next() % 61)
            var parts: [String] = []
            for _ in 0..<n { parts.append(words.sample(&rng)) }
            docs.append(Self.sentence(parts))
        }
        var qs: [String] = []
        qs.reserveCapacity(queries)
        for _ in 0..<queries {
            let n = 5 + Int(rng.next() % 8)
            var parts: [String] = []
            for _ in 0..<n {
                if rng.next() % 100 < 5 {
                    parts.append("zz" + String(rng.next() % 1000))
                } else {
                    parts.append(words.sample(&rng))
                }
            }
            qs.append(Self.sentence(parts))
        }
        self.documents = docs
        self.queries = qs
    }

    /// Words joined by single spaces, the first letter upper-cased.
    private static func sentence(_ words: [String]) -> String {
        let text = words.joined(separator: " ")
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}

/// The generator's vocabulary and Zipf sampler.
struct ZipfWords: Sendable {
    static let shared = ZipfWords(size: 5000)

    /// word(r) for rank r.
    let vocabulary: [String]
    /// Prefix sums of weight(r) = 1_000_000_000 / (r + 1) (integer division).
    let cumulative: [UInt64]

    init(size: Int) {
        let syllables = "bcdfghjklmnprstv".flatMap { c in "aeiou".map { v in String([c, v]) } }
        vocabulary = (0..<size).map { i in
            // bijective base-80 numeral: 0 -> ba, 79 -> vu, 80 -> baba
            var n = i + 1
            var word = ""
            while n > 0 {
                n -= 1
                word = syllables[n % 80] + word
                n /= 80
            }
            return word
        }
        var sum: UInt64 = 0
        cumulative = (0..<size).map { r in
            sum += 1_000_000_000 / UInt64(r + 1)
            return sum
        }
    }

    /// u = next() % total; the word of the first rank r with cumulative[r] > u.
    func sample(_ rng: inout SplitMix64) -> String {
        let u = rng.next() % cumulative[cumulative.count - 1]
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return vocabulary[lo]
    }
}
