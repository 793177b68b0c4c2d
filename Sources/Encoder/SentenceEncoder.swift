/// Something that turns texts into fixed-size sentence vectors.
///
/// Implementations must be deterministic: the same text always gives the same vector, which is
/// what lets `EmbeddingCache` key vectors by `(id, text hash)`.
public protocol SentenceEncoder: Sendable {
    /// Stable identifier of the encoder and its weights (part of every cache key).
    var id: String { get }
    /// Length of every vector `encode` returns.
    var dimension: Int { get }
    /// One L2-normalised vector per text, in input order.
    /// - Parameter texts: any strings; the empty string is allowed.
    /// - Returns: `texts.count` vectors of `dimension` floats.
    func encode(_ texts: [String]) throws -> [[Float]]
}
