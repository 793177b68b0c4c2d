import HydraEngine
import LaMP
import XCTest

final class LabelRulesTests: XCTestCase {
    func testMatch_CutsAtCommaAndIsCaseInsensitive() {
        XCTAssertTrue(LabelRules.matches(output: "Comedy, definitely", gold: "comedy", task: .movieTag))
        XCTAssertFalse(LabelRules.matches(output: "romance", gold: "comedy", task: .movieTag))
        XCTAssertTrue(LabelRules.matches(output: "[2] because of the title", gold: "[2]", task: .citation))
        XCTAssertFalse(LabelRules.matches(output: "", gold: "comedy", task: .movieTag))
    }

    func testMatch_RatingComparesTrimmedStrings() {
        XCTAssertTrue(LabelRules.matches(output: " 4 ", gold: "4", task: .productRating))
        XCTAssertFalse(LabelRules.matches(output: "4.0", gold: "4", task: .productRating))
    }

    func testRerankerLabels_GenerationIsRougeAboveTheQueryMean() {
        let labels = LabelRules.rerankerLabels(
            answers: ["storm hits the coast", "coast storm warning issued", "football final tonight"],
            gold: "storm warning for the coast", task: .newsHeadline)
        XCTAssertEqual(labels, [1, 1, 0])
    }

    func testAdapterExamples_GenerationAddsGoldAsOnlyPositive() {
        let examples = LabelRules.adapterExamples(candidates: ["a", "b"], gold: "gold title", task: .newsHeadline, rougeAboveMean: false)
        XCTAssertEqual(examples.map(\.text), ["a", "b", "gold title"])
        XCTAssertEqual(examples.map(\.label), [0, 0, 1])
    }

    func testAdapterExamples_ClassificationLabelsEachCandidateByMatch() {
        let examples = LabelRules.adapterExamples(
            candidates: ["comedy", "romance", "comedy"], gold: "comedy", task: .movieTag, rougeAboveMean: false)
        XCTAssertEqual(examples.map(\.label), [1, 0, 1])
    }
}
