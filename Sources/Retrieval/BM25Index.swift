import Foundation

/// The parameters of Okapi BM25.
public struct BM25Parameters: Sendable, Hashable {
    /// Term-frequency saturation.
    public var k1: Double
    /// Document-length normalisation, 0 (none) to 1 (full).
    public var b: Double
    /// An idf below zero is replaced by `epsilon` × the mean idf of all corpus terms.
    public var epsilon: Double

    /// Creates parameters.
    public init(k1: Double, b: Double, epsilon: Double) {
        self.k1 = k1
        self.b = b
        self.epsilon = epsilon
    }

    /// rank_bm25's `BM25Okapi` defaults, as LaMP and HYDRA run it: k1 1.5, b 0.75, epsilon 0.25.
    public static let okapi = BM25Parameters(k1: 1.5, b: 0.75, epsilon: 0.25)
}

/// One retrieved document: its position in the corpus and its BM25 score.
public struct BM25Hit: Sendable, Hashable {
    /// The document's index in the corpus the index was built from.
    public var index: Int
    /// Its BM25 score.
    public var score: Double

    /// Creates a hit.
    public init(index: Int, score: Double) {
        self.index = index
        self.score = score
    }
}

/// Okapi BM25 over an inverted index, with the exact semantics of rank_bm25 0.2.2 `BM25Okapi`.
///
/// For a corpus of N documents, term t with document frequency n_t and a document D of |D| tokens:
///
///     idf(t)   = ln(N - n_t + 0.5) - ln(n_t + 0.5)       (negative → epsilon × mean idf)
///     score(D) = Σ over query tokens q (duplicates each time, in query order) of
///                idf(q) * f(q,D) * (k1 + 1) / (f(q,D) + k1 * (1 - b + b * |D| / avgdl))
///
/// The mean idf is over all corpus terms, negatives included. Unknown tokens add nothing. Every
/// operation is done in rank_bm25's order in float64, so scores equal its `get_scores` bit for
/// bit: each posting stores its finished term contribution `idf(t) * (f * (k1 + 1) / (f + norm))`,
/// and a query adds them into an accumulator in query order (adding a zero, as numpy does for
/// documents without the term, changes nothing).
///
/// Layout for speed: terms found in at least a quarter of the documents keep their contributions
/// as a dense row (one value per document; a vectorised add) instead of a posting list; a query
/// accumulates 4096 documents at a time, so the accumulator stays in the L1 cache, and the top-k
/// selection reads each finished block while it is hot.
///
/// Unlike rank_bm25, an empty corpus and a corpus of empty documents are accepted (all scores 0).
/// The index is immutable and `Sendable` (a final class, so passing it around copies nothing): any
/// number of threads may query it at once; each query allocates its own small scratch buffers.
public final class BM25Index: Sendable {
    /// The parameters the index was built with.
    public let parameters: BM25Parameters
    /// The tokenizer applied to string queries (and to string documents at build time).
    public let tokenizer: BM25Tokenizer
    /// Token count of each document.
    public let documentLengths: [Int]
    /// Mean document length (total tokens / N); 0 for an empty corpus.
    public let averageDocumentLength: Double
    /// Mean of the raw idf over all corpus terms, before the epsilon floor; 0 with no terms.
    public let averageIDF: Double

    let terms: TermTable
    /// idf per term id, after the epsilon floor.
    let idfs: [Double]
    /// Posting list of term t: `postingDocs[postingStarts[t]..<postingStarts[t + 1]]`, ascending.
    let postingStarts: [Int]
    let postingDocs: [Int32]
    /// The term's finished contribution to that document's score.
    let postingWeights: [Double]
    /// Dense row of term t (or -1): contributions at `denseWeights[row * N ..< (row + 1) * N]`.
    let denseRows: [Int32]
    let denseWeights: [Double]

    /// The number of documents.
    public var count: Int { documentLengths.count }
    /// The number of distinct terms.
    public var vocabularySize: Int { terms.count }

    /// Builds the index over raw documents.
    ///
    /// - Parameters:
    ///   - documents: The corpus; hit indices refer to positions in it.
    ///   - tokenizer: Splits documents and string queries (LaMP: `.whitespace`).
    ///   - parameters: k1, b and epsilon (default rank_bm25's).
    public convenience init(
        documents: [String], tokenizer: BM25Tokenizer = .whitespace,
        parameters: BM25Parameters = .okapi
    ) {
        self.init(tokenizer: tokenizer, parameters: parameters, count: documents.count) { d, emit in
            tokenizer.forEachToken(in: documents[d], emit)
        }
    }

    /// Builds the index over documents that are already tokenized.
    ///
    /// - Parameters:
    ///   - tokenizedDocuments: Each document's tokens.
    ///   - tokenizer: Used only for string queries.
    ///   - parameters: k1, b and epsilon (default rank_bm25's).
    public convenience init(
        tokenizedDocuments: [[String]], tokenizer: BM25Tokenizer = .whitespace,
        parameters: BM25Parameters = .okapi
    ) {
        self.init(tokenizer: tokenizer, parameters: parameters, count: tokenizedDocuments.count) {
            d, emit in
            for var token in tokenizedDocuments[d] { token.withUTF8 { emit($0) } }
        }
    }

    private init(
        tokenizer: BM25Tokenizer, parameters: BM25Parameters, count n: Int,
        tokens: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) {
        precondition(parameters.k1 >= 0 && parameters.b >= 0 && parameters.b <= 1, "bad BM25 parameters")
        self.parameters = parameters
        self.tokenizer = tokenizer

        // term frequencies per document: distinct terms in order of first appearance
        var table = TermTable()
        var lengths = [Int](repeating: 0, count: n)
        var docStarts = [Int](repeating: 0, count: n + 1)
        var docTerms: [Int32] = []
        var docFreqs: [Int32] = []
        var slotOfTerm: [Int] = []  // term id -> its position in docTerms for the current doc, or -1
        for d in 0..<n {
            let first = docTerms.count
            tokens(d) { token in
                let t = Int(table.insert(token))
                if t == slotOfTerm.count { slotOfTerm.append(-1) }
                lengths[d] += 1
                let slot = slotOfTerm[t]
                if slot >= first {
                    docFreqs[slot] += 1
                } else {
                    slotOfTerm[t] = docTerms.count
                    docTerms.append(Int32(t))
                    docFreqs.append(1)
                }
            }
            docStarts[d + 1] = docTerms.count
        }
        let vocabulary = table.count
        var df = [Int](repeating: 0, count: vocabulary)
        for t in docTerms { df[Int(t)] += 1 }

        // idf in rank_bm25's order: raw values summed in first-appearance order, then the floor
        var idf = [Double](repeating: 0, count: vocabulary)
        var idfSum = 0.0
        for t in 0..<vocabulary {
            let nt = Double(df[t])
            idf[t] = log(Double(n) - nt + 0.5) - log(nt + 0.5)
            idfSum += idf[t]
        }
        let meanIDF = vocabulary > 0 ? idfSum / Double(vocabulary) : 0
        let floor = parameters.epsilon * meanIDF
        for t in 0..<vocabulary where idf[t] < 0 { idf[t] = floor }

        // length normalisation per document: k1 * (1 - b + b * |D| / avgdl)
        let total = lengths.reduce(0, +)
        let avgdl = n > 0 ? Double(total) / Double(n) : 0
        let k1 = parameters.k1
        let norm = lengths.map { Self.lengthNormalisation(length: $0, averageLength: avgdl, parameters: parameters) }

        // postings (documents ascending) and dense rows for very common terms
        let denseThreshold = max(n / 4, 1)
        var rows = [Int32](repeating: -1, count: vocabulary)
        var denseCount = 0
        var starts = [Int](repeating: 0, count: vocabulary + 1)
        for t in 0..<vocabulary {
            if df[t] >= denseThreshold {
                rows[t] = Int32(denseCount)
                denseCount += 1
            }
            starts[t + 1] = starts[t] + (rows[t] >= 0 ? 0 : df[t])
        }
        var cursor = Array(starts.dropLast())
        var docs = [Int32](repeating: 0, count: starts[vocabulary])
        var weights = [Double](repeating: 0, count: starts[vocabulary])
        var dense = [Double](repeating: 0, count: denseCount * n)
        for d in 0..<n {
            for p in docStarts[d]..<docStarts[d + 1] {
                let t = Int(docTerms[p])
                let f = Double(docFreqs[p])
                let w = Self.termWeight(idf: idf[t], frequency: f, normalisation: norm[d], k1: k1)
                if rows[t] >= 0 {
                    dense[Int(rows[t]) * n + d] = w
                } else {
                    docs[cursor[t]] = Int32(d)
                    weights[cursor[t]] = w
                    cursor[t] += 1
                }
            }
        }

        self.terms = table
        self.idfs = idf
        self.documentLengths = lengths
        self.averageDocumentLength = avgdl
        self.averageIDF = meanIDF
        self.postingStarts = starts
        self.postingDocs = docs
        self.postingWeights = weights
        self.denseRows = rows
        self.denseWeights = dense
    }

    /// The idf of `term` (after the epsilon floor), or nil when no document contains it.
    public func idf(of term: String) -> Double? {
        var term = term
        let t = term.withUTF8 { terms.find($0) }
        return t >= 0 ? idfs[Int(t)] : nil
    }

    /// k1 · (1 − b + b · |D| / avgdl). The build and `explain` share it (and `termWeight`), so an
    /// explanation repeats the index's arithmetic operation for operation.
    @inline(__always)
    static func lengthNormalisation(length: Int, averageLength: Double, parameters: BM25Parameters) -> Double {
        parameters.k1 * (1 - parameters.b + parameters.b * Double(length) / averageLength)
    }

    /// One query token's part of a document's score: idf · (f · (k1 + 1) / (f + normalisation)).
    @inline(__always)
    static func termWeight(idf: Double, frequency f: Double, normalisation: Double, k1: Double) -> Double {
        idf * (f * (k1 + 1) / (f + normalisation))
    }
}
