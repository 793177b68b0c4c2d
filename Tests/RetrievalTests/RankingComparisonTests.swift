import XCTest

@testable import Retrieval

final class RankingComparisonTests: XCTestCase {
    func testIdenticalRankings_TauAndRBOAreOne() throws {
        let ranking = ["a", "b", "c", "d", "e"]
        XCTAssertEqual(try XCTUnwrap(RankingComparison.kendallTauB(ranking: ranking, ranking)), 1, accuracy: 1e-12)
        XCTAssertEqual(RankingComparison.rankBiasedOverlap(ranking, ranking), 1, accuracy: 1e-12)
    }

    func testReversedRanking_TauIsMinusOne() throws {
        let ranking = ["a", "b", "c", "d", "e"]
        XCTAssertEqual(try XCTUnwrap(RankingComparison.kendallTauB(ranking: ranking, ranking.reversed())), -1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(RankingComparison.kendallTauB([1, 2, 3], [3, 2, 1])), -1, accuracy: 1e-12)
    }

    /// [a, b, c] against [b, a, c]. Pairs: (a,b) discordant, (a,c) and (b,c) concordant, so
    /// τ = (2 − 1)/3 = 1/3. Overlaps X₁ = 0, X₂ = 2, X₃ = 3; with p = 0.9,
    /// RBO_EXT = (0.1/0.9)·(0 + 2/2·0.81 + 3/3·0.729) + 3/3·0.729 = 0.171 + 0.729 = 0.9.
    func testSwappedTopTwo_WorkedByHand() throws {
        XCTAssertEqual(try XCTUnwrap(RankingComparison.kendallTauB(ranking: ["a", "b", "c"], ["b", "a", "c"])), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(RankingComparison.rankBiasedOverlap(["a", "b", "c"], ["b", "a", "c"]), 0.9, accuracy: 1e-12)
    }

    /// x (1, 2, 2, 3) against y (1, 3, 2, 4): of the 6 pairs, items 2 and 3 tie in x, the other 5
    /// are concordant; none tie in y. τ-b = 5 / √((6 − 1)(6 − 0)) = 5/√30.
    func testTies_TauB() throws {
        XCTAssertEqual(try XCTUnwrap(RankingComparison.kendallTauB([1, 2, 2, 3], [1, 3, 2, 4])), 5 / 30.0.squareRoot(), accuracy: 1e-12)
        XCTAssertNil(RankingComparison.kendallTauB([1, 1, 1], [1, 2, 3]), "undefined when one side ties everything")
        XCTAssertNil(RankingComparison.kendallTauB([1], [1]))
    }

    /// [a, b] against [a, c, d]: X₁ = 1, X₂ = 1, X₃ = 1 (s = 2, l = 3, X_s = 1). With p = 0.9:
    /// Σ X_d/d·p^d = 0.9 + 0.405 + 0.243 = 1.548; Σ_{d=3} X_s(d−s)/(s·d)·p^d = 1/6 · 0.729 =
    /// 0.1215; (0.1/0.9)·1.6695 = 0.1855; tail ((1 − 1)/3 + 1/2)·0.729 = 0.3645; RBO 0.55.
    func testUnevenLists_RBOExtrapolates() {
        XCTAssertEqual(RankingComparison.rankBiasedOverlap(["a", "b"], ["a", "c", "d"]), 0.55, accuracy: 1e-12)
        XCTAssertEqual(RankingComparison.rankBiasedOverlap(["a", "c", "d"], ["a", "b"]), 0.55, accuracy: 1e-12)
    }

    func testDisjointLists_RBOIsZero() {
        XCTAssertEqual(RankingComparison.rankBiasedOverlap(["a", "b", "c"], ["d", "e", "f"]), 0)
        XCTAssertEqual(RankingComparison.rankBiasedOverlap([String](), ["a"]), 0)
        XCTAssertEqual(RankingComparison.rankBiasedOverlap([String](), []), 1)
    }
}
