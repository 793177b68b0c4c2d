import Numerics
import Training

/// Every head of a scorer as a point in 2-D.
///
/// A head is described by what it does, not by its weights: its logit margin (useful − not
/// useful) on one shared probe set of pairs, passed once through the frozen base. Two heads that
/// score every probe pair alike land on the same point even when their weights differ (a tanh
/// unit and its negated twin, units in another order), and the description is 64 numbers per
/// head instead of the 4,290 weights of a 64-wide head, so the map of a thousand heads takes
/// milliseconds. The points are the first two principal components of those descriptions over the
/// user heads; the global head is projected onto the same axes.
public struct HeadMapProjection: Sendable {
    /// User ids in the order of `points`, then nil for the global head.
    public let userIDs: [String?]
    public let points: [(x: Double, y: Double)]
    public let explainedVariance: [Double]

    /// Probe rows kept at most; more only slow the map down.
    public static let probeLimit = 64

    /// - Parameters:
    ///   - model: the scorer (its base, global head and user heads).
    ///   - probe: feature rows (n, model input); the first `probeLimit` are used.
    public init(model: FactorizedModel, probe: Matrix) {
        let rows = min(probe.rows, Self.probeLimit)
        let hidden = model.base.embed(probe.gatherRows(Array(0..<rows)))
        func describe(_ head: HydraHead) -> [Float] {
            let logits = head.logits(hidden)
            return (0..<logits.rows).map { logits[$0, 1] - logits[$0, 0] }
        }
        let descriptions = model.heads.map(describe)
        let pca = PrincipalComponents(rows: descriptions, count: 2)
        let global = pca.project(describe(model.globalHead))
        func point(_ p: [Double]) -> (x: Double, y: Double) { (p.first ?? 0, p.count > 1 ? p[1] : 0) }
        userIDs = model.userIDs.map { Optional($0) } + [nil]
        points = descriptions.map { point(pca.project($0)) } + [point(global)]
        explainedVariance = pca.explainedVariance
    }

    /// Says how the points were made, for the screen and the report.
    public static let method =
        "PCA of each head's logit margin on \(probeLimit) shared probe pairs (behaviour, not weights: heads that score alike sit together)"
}
