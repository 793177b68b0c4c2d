/// The leading principal components of a set of row vectors, for 2-D maps of many points.
///
/// Works on the (width × width) covariance in double precision, so it suits many rows of modest
/// width (a thousand heads described by 64 probe scores: about a millisecond). Components come
/// from power iteration with deflation, started from a fixed vector, so the result is
/// deterministic; each component's sign is fixed so that its largest-magnitude entry is positive.
public struct PrincipalComponents: Sendable {
    /// The column means that were subtracted.
    public let mean: [Double]
    /// Unit-length components, strongest first.
    public let components: [[Double]]
    /// Each component's share of the total variance (0...1).
    public let explainedVariance: [Double]

    /// The first `count` components of `rows` (each of the same width).
    public init(rows: [[Float]], count: Int = 2, iterations: Int = 200) {
        let width = rows.first?.count ?? 0
        var mean = [Double](repeating: 0, count: width)
        for row in rows { for j in 0..<width { mean[j] += Double(row[j]) } }
        if !rows.isEmpty { for j in 0..<width { mean[j] /= Double(rows.count) } }
        var covariance = [Double](repeating: 0, count: width * width)
        var centred = [Double](repeating: 0, count: width)
        for row in rows {
            for j in 0..<width { centred[j] = Double(row[j]) - mean[j] }
            for a in 0..<width where centred[a] != 0 {
                let ca = centred[a]
                for b in a..<width { covariance[a * width + b] += ca * centred[b] }
            }
        }
        let scale = 1 / Double(max(1, rows.count - 1))
        for a in 0..<width {
            for b in a..<width {
                covariance[a * width + b] *= scale
                covariance[b * width + a] = covariance[a * width + b]
            }
        }
        let total = (0..<width).reduce(0.0) { $0 + covariance[$1 * width + $1] }

        var components: [[Double]] = []
        var explained: [Double] = []
        for k in 0..<min(count, width) {
            // a fixed, not axis-aligned start so no component is missed by symmetry
            var v = (0..<width).map { 1 + Double(($0 * 7 + k * 3) % 11) / 10 }
            var eigenvalue = 0.0
            for _ in 0..<iterations {
                var next = [Double](repeating: 0, count: width)
                for a in 0..<width {
                    var s = 0.0
                    for b in 0..<width { s += covariance[a * width + b] * v[b] }
                    next[a] = s
                }
                for c in components {
                    let d = zip(next, c).reduce(0) { $0 + $1.0 * $1.1 }
                    for j in 0..<width { next[j] -= d * c[j] }
                }
                let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-300 else { eigenvalue = 0; break }
                let converged = zip(next, v).reduce(0) { $0 + abs($1.0 / norm - $1.1) } < 1e-12
                v = next.map { $0 / norm }
                eigenvalue = norm
                if converged { break }
            }
            if let largest = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[largest] < 0 { v = v.map { -$0 } }
            components.append(v)
            explained.append(total > 0 ? eigenvalue / total : 0)
        }
        self.mean = mean
        self.components = components
        self.explainedVariance = explained
    }

    /// `row`'s coordinates along the components.
    public func project(_ row: [Float]) -> [Double] {
        components.map { c in
            var s = 0.0
            for j in 0..<min(c.count, row.count) { s += (Double(row[j]) - mean[j]) * c[j] }
            return s
        }
    }
}
