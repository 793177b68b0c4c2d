import Foundation

/// Pair features from two sentence embeddings: `[u, v, u⊙v, |u−v|, scalars…]`.
///
/// The reranker's pair is (query, history item) with scalars BM25 score / best score and
/// rank / k; the adapter's is (query, candidate) with scalars vote share among the N samples and
/// the LLM's probability of the candidate (0 when unknown).
public enum PairFeatures {
    /// Scalars appended after the four embedding blocks.
    public static let scalarCount = 2

    /// The feature width for embeddings of `dimension`.
    public static func width(dimension: Int) -> Int { 4 * dimension + scalarCount }

    /// Appends the features of (u, v) and `scalars` to `out`.
    public static func append(u: [Float], v: [Float], scalars: [Float], to out: inout [Float]) {
        precondition(u.count == v.count && scalars.count == scalarCount, "feature shape")
        out += u
        out += v
        for i in 0..<u.count { out.append(u[i] * v[i]) }
        for i in 0..<u.count { out.append(abs(u[i] - v[i])) }
        out += scalars
    }
}
