/// Errors of dense retrieval.
public enum DenseRetrievalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A vector's length differs from the first document's (or the query's from the documents').
    case dimensionMismatch(index: Int, expected: Int, actual: Int)

    /// A one-line message naming what went wrong and where.
    public var description: String {
        switch self {
        case .dimensionMismatch(let index, let expected, let actual):
            return index < 0
                ? "dense retrieval: query has \(actual) dimensions, documents have \(expected)"
                : "dense retrieval: document \(index) has \(actual) dimensions, expected \(expected)"
        }
    }
}

/// One retrieved document: its index in the corpus and its cosine similarity to the query.
public struct DenseHit: Equatable, Sendable {
    /// Position of the document in the vectors given to the retriever.
    public let index: Int
    /// Cosine similarity to the query, in [-1, 1] (0 for a zero vector).
    public let score: Float

    /// Creates a hit.
    public init(index: Int, score: Float) {
        self.index = index
        self.score = score
    }
}

/// Cosine top-k retrieval over a fixed set of document vectors (e.g. a user's profile items).
///
/// Vectors from `SentenceEncoder`s are already L2-normalised, but the retriever divides by norms
/// anyway so unnormalised or zero vectors (an empty text under the hashing encoder) score sanely:
/// a zero vector has similarity 0 with everything.
public struct DenseRetriever: Sendable {
    /// Vector width.
    public let dimension: Int
    /// Number of documents.
    public var count: Int { inverseNorms.count }
    private let matrix: [Float]        // (count, dimension), row-major
    private let inverseNorms: [Float]  // 1/‖row‖, or 0 for a zero row

    /// Indexes document vectors.
    /// - Parameter documents: one vector per document, all the same length.
    /// - Throws: `DenseRetrievalError.dimensionMismatch` naming the first bad document.
    public init(documents: [[Float]]) throws {
        let dimension = documents.first?.count ?? 0
        var matrix: [Float] = []
        matrix.reserveCapacity(documents.count * dimension)
        var inverseNorms: [Float] = []
        for (index, vector) in documents.enumerated() {
            guard vector.count == dimension else {
                throw DenseRetrievalError.dimensionMismatch(index: index, expected: dimension, actual: vector.count)
            }
            matrix.append(contentsOf: vector)
            inverseNorms.append(Self.inverseNorm(vector))
        }
        self.dimension = dimension
        self.matrix = matrix
        self.inverseNorms = inverseNorms
    }

    /// Cosine similarity of the query to every document, in corpus order.
    /// - Throws: `.dimensionMismatch(index: -1, …)` when the query has the wrong length.
    public func scores(query: [Float]) throws -> [Float] {
        guard query.count == dimension || count == 0 else {
            throw DenseRetrievalError.dimensionMismatch(index: -1, expected: dimension, actual: query.count)
        }
        let queryInverseNorm = Self.inverseNorm(query)
        return matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                (0..<count).map { d in
                    var dot: Float = 0
                    let row = d * dimension
                    for i in 0..<dimension { dot += m[row + i] * q[i] }
                    return dot * inverseNorms[d] * queryInverseNorm
                }
            }
        }
    }

    /// The `k` most similar documents, best first; equal scores are ordered by ascending index.
    /// - Parameters:
    ///   - query: a vector of `dimension` floats.
    ///   - k: how many to return (fewer when the corpus is smaller; none when k ≤ 0).
    public func topK(query: [Float], k: Int) throws -> [DenseHit] {
        // NaN (only from non-finite inputs) ranks last so the ordering stays consistent
        let all = try scores(query: query).map { $0.isNaN ? -Float.infinity : $0 }
        guard k > 0 else { return [] }
        let ranked = all.indices.sorted { all[$0] != all[$1] ? all[$0] > all[$1] : $0 < $1 }
        return ranked.prefix(k).map { DenseHit(index: $0, score: all[$0]) }
    }

    private static func inverseNorm(_ v: [Float]) -> Float {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? 1 / norm : 0
    }
}
