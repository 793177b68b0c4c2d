import Foundation

/// How much two rankings agree: Kendall's τ-b (order of every pair, ties accounted for) and
/// rank-biased overlap (top-weighted overlap, Webber, Moffat & Zobel 2010), for comparing
/// retrieval with reranking. Quadratic in the items, meant for top-k lists.
public enum RankingComparison {
    /// Kendall's τ-b of two scorings of the same items, `x[i]` and `y[i]` being item i's scores
    /// (larger ranks higher): (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)), n₀ the pairs and
    /// n₁, n₂ the pairs tied in `x`, in `y`.
    /// - Returns: nil when fewer than two items, or when either side ties every pair (τ-b is
    ///   undefined there, as scipy's NaN says).
    public static func kendallTauB(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "τ-b pairs the two scorings item by item")
        var concordant = 0, discordant = 0, tiedX = 0, tiedY = 0
        for i in x.indices {
            for j in (i + 1)..<x.count {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 { tiedX += 1 }
                if dy == 0 { tiedY += 1 }
                if dx * dy > 0 { concordant += 1 } else if dx * dy < 0 { discordant += 1 }
            }
        }
        let pairs = x.count * (x.count - 1) / 2
        let denominator = (Double(pairs - tiedX) * Double(pairs - tiedY)).squareRoot()
        guard denominator > 0 else { return nil }
        return Double(concordant - discordant) / denominator
    }

    /// Kendall's τ-b of two orderings (best first) over the items both contain.
    public static func kendallTauB<Item: Hashable>(ranking first: [Item], _ second: [Item]) -> Double? {
        let positions = Dictionary(second.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let shared = first.enumerated().compactMap { entry in positions[entry.element].map { (entry.offset, $0) } }
        return kendallTauB(shared.map { -Double($0.0) }, shared.map { -Double($0.1) })
    }

    /// Extrapolated rank-biased overlap, RBO_EXT (Webber, Moffat & Zobel 2010, eq. 32), of two
    /// orderings (best first, no repeats) with persistence `p`. With S the shorter list (length s),
    /// L the longer (length l), X_d the items shared by their top d (S taken whole past s):
    ///
    ///     (1−p)/p · [ Σ_{d=1..l} X_d/d · p^d + Σ_{d=s+1..l} X_s·(d−s)/(s·d) · p^d ]
    ///         + [ (X_l − X_s)/l + X_s/s ] · p^l
    ///
    /// 1 for identical lists, 0 for disjoint ones; it assumes the agreement seen at depth l goes
    /// on below it.
    /// - Returns: 1 when both lists are empty, 0 when one is.
    public static func rankBiasedOverlap<Item: Hashable>(_ first: [Item], _ second: [Item], persistence p: Double = 0.9) -> Double {
        precondition(p > 0 && p < 1, "RBO's persistence is in (0, 1)")
        let (short, long) = first.count <= second.count ? (first, second) : (second, first)
        let (s, l) = (short.count, long.count)
        if l == 0 { return 1 }
        if s == 0 { return 0 }
        var seenShort = Set<Item>(), seenLong = Set<Item>()
        var overlap = 0
        var overlapAtS = 0
        var sum = 0.0
        var weight = 1.0  // p^d
        for d in 1...l {
            weight *= p
            let fromLong = long[d - 1]
            seenLong.insert(fromLong)
            if d <= s {
                let fromShort = short[d - 1]
                seenShort.insert(fromShort)
                if fromShort == fromLong {
                    overlap += 1
                } else {
                    if seenLong.contains(fromShort) { overlap += 1 }
                    if seenShort.contains(fromLong) { overlap += 1 }
                }
                if d == s { overlapAtS = overlap }
            } else if seenShort.contains(fromLong) {
                overlap += 1
            }
            sum += Double(overlap) / Double(d) * weight
            if d > s { sum += Double(overlapAtS * (d - s)) / Double(s * d) * weight }
        }
        let tail = (Double(overlap - overlapAtS) / Double(l) + Double(overlapAtS) / Double(s)) * weight
        return (1 - p) / p * sum + tail
    }
}
