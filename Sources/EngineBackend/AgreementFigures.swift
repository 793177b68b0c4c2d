import Foundation
import HydraEngine
import Retrieval
import WorkbenchAPI

/// Kendall's τ-b and RBO between the BM25, base and personal rankings of a question's items.
enum AgreementFigures {
    /// The pairs compared, in the order the report lists them.
    static let pairs: [(first: Ranking, second: Ranking)] = [(.bm25, .base), (.bm25, .personal), (.base, .personal)]

    enum Ranking: String {
        case bm25, base, personal
    }

    /// The figures of one question's items. τ-b compares the scores (so BM25 ties stay ties),
    /// RBO the orders. Without a personal head the pairs with `personal` are left out, not made
    /// equal to the base's; a τ-b that is undefined (one side ties every item) counts as 0.
    static func question(_ items: [RankedItem], personal: Bool) -> [RankingAgreement] {
        pairs.filter { personal || ($0.first != .personal && $0.second != .personal) }.map { pair in
            RankingAgreement(
                first: pair.first.rawValue, second: pair.second.rawValue,
                kendallTau: RankingComparison.kendallTauB(scores(items, pair.first), scores(items, pair.second)) ?? 0,
                rbo: RankingComparison.rankBiasedOverlap(order(items, pair.first), order(items, pair.second), persistence: 0.9))
        }
    }

    /// The mean of each pair's figures over a user's questions (τ-b over the questions where it
    /// is defined).
    static func mean(_ questions: [[RankedItem]], personal: Bool) -> [RankingAgreement] {
        let available = pairs.filter { personal || ($0.first != .personal && $0.second != .personal) }
        guard !questions.isEmpty else { return [] }
        return available.map { pair in
            let taus = questions.compactMap { RankingComparison.kendallTauB(scores($0, pair.first), scores($0, pair.second)) }
            let rbos = questions.map {
                RankingComparison.rankBiasedOverlap(order($0, pair.first), order($0, pair.second), persistence: 0.9)
            }
            return RankingAgreement(
                first: pair.first.rawValue, second: pair.second.rawValue,
                kendallTau: taus.isEmpty ? 0 : taus.reduce(0, +) / Double(taus.count), rbo: rbos.reduce(0, +) / Double(rbos.count))
        }
    }

    private static func scores(_ items: [RankedItem], _ ranking: Ranking) -> [Double] {
        switch ranking {
        case .bm25: return items.map(\.bm25Score)
        case .base: return items.map { Double($0.baseScore) }
        case .personal: return items.map { Double($0.personalScore) }
        }
    }

    private static func order(_ items: [RankedItem], _ ranking: Ranking) -> [String] {
        let rank: (RankedItem) -> Int
        switch ranking {
        case .bm25: rank = \.bm25Rank
        case .base: rank = \.baseRank
        case .personal: rank = \.personalRank
        }
        return items.sorted { rank($0) < rank($1) }.map(\.itemID)
    }
}
