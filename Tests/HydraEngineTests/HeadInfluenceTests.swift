@testable import HydraEngine
import XCTest

final class HeadInfluenceTests: XCTestCase {
    /// Items with ranks under both heads; scores do not matter to the counts.
    private func items(base: [Int], personal: [Int]) -> [RankedItem] {
        zip(base, personal).enumerated().map { i, ranks in
            RankedItem(
                itemID: "i\(i)", bm25Rank: i, bm25Score: 1, baseScore: 0, personalScore: 0, baseRank: ranks.0,
                personalRank: ranks.1)
        }
    }

    private func candidates(base: [Float], personal: [Float]) -> [ScoredCandidate] {
        zip(base, personal).enumerated().map { i, scores in
            ScoredCandidate(candidate: Candidate(text: "c\(i)", voteShare: 0.25, probability: 0), baseScore: scores.0, personalScore: scores.1)
        }
    }

    private func trace(
        _ id: String, items: [RankedItem], candidates: [ScoredCandidate], hydra: String = "a", base: String = "a"
    ) -> QuestionTrace {
        QuestionTrace(
            questionID: id, userID: "u", gold: "g", items: items, candidates: candidates,
            predictions: ["hydra": hydra, "hydra-base": base, "rag": "z"])
    }

    func testCounts_PromptItemsInOrder_PicksWithTiesToTheFirst_Answers() {
        let traces = [
            // the same two items first, swapped: the prompt's text changes, so it counts
            trace("swap", items: items(base: [0, 1, 2, 3], personal: [1, 0, 2, 3]), candidates: []),
            // a change below the top r leaves the prompt alone
            trace("below", items: items(base: [0, 1, 2, 3], personal: [0, 1, 3, 2]), candidates: []),
            // a new item in the top r
            trace("new", items: items(base: [0, 1, 2, 3], personal: [0, 2, 1, 3]), candidates: []),
            // the personal head moves the top score to another candidate
            trace("pick", items: items(base: [0, 1], personal: [0, 1]), candidates: candidates(base: [0.9, 0.1, 0.2], personal: [0.1, 0.9, 0.2]),
                  hydra: "c1", base: "c0"),
            // every score shifted alike: the same pick; a tie keeps the first candidate under both heads
            trace("shift", items: items(base: [0, 1], personal: [0, 1]), candidates: candidates(base: [0.5, 0.5, 0.2], personal: [0.4, 0.4, 0.1])),
        ]
        let influence = HeadInfluence(traces: traces, promptItems: 2)
        XCTAssertEqual(influence, HeadInfluence(questions: 5, promptsChanged: 2, picksChanged: 1, answersChanged: 1))
        XCTAssertEqual(HeadInfluence(traces: traces, promptItems: 3).promptsChanged, 3, "with r = 3 the swap below r = 2 counts")
        XCTAssertTrue(influence.summary.contains("prompt items changed on 2, picks on 1, answers (hydra vs hydra-base) on 1 of 5 questions"))
    }

    func testNoTraces_NoHydraAnswer_CountsNothing() {
        XCTAssertEqual(HeadInfluence(traces: [], promptItems: 2), HeadInfluence(questions: 0, promptsChanged: 0, picksChanged: 0, answersChanged: 0))
        var only = trace("q", items: [], candidates: [], hydra: "a", base: "b")
        only.predictions = ["hydra": "a"]
        XCTAssertEqual(HeadInfluence(traces: [only], promptItems: 2).answersChanged, 0, "no hydra-base answer to differ from")
    }
}
