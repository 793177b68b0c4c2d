@testable import HydraEngine
import LaMP
import XCTest

final class PairedSignificanceTests: XCTestCase {
    func testFiveWins_ExactTwoSidedPIsTwoOf32() {
        let test = PairedSignificance.test(differences: [1, 1, 1, 1, 1])
        XCTAssertTrue(test.exact)
        XCTAssertEqual(test.pValue, 2.0 / 32, accuracy: 1e-12)
        XCTAssertEqual(test.meanDifference, 1)
        XCTAssertEqual([test.better, test.worse, test.ties], [5, 0, 0])
    }

    func testAllTies_PIsOne() {
        let test = PairedSignificance.test(differences: [0, 0, 0])
        XCTAssertEqual(test.pValue, 1)
        XCTAssertEqual(test.meanDifference, 0)
        XCTAssertEqual(test.ties, 3)
        XCTAssertEqual(PairedSignificance.test(differences: []).pValue, 1)
    }

    func testTiesAreNotFlipped_MixedSigns() {
        // non-zero [2, -1, 1]: sums over the 8 sign assignments are ±4 (2×), ±2 (4×), 0 (2×);
        // observed |2 - 1 + 1| = 2, so 6 of 8 are at least as extreme
        let test = PairedSignificance.test(differences: [2, 0, -1, 1, 0])
        XCTAssertEqual(test.pValue, 6.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(test.meanDifference, 2.0 / 5, accuracy: 1e-12)
        XCTAssertEqual([test.better, test.worse, test.ties], [2, 1, 2])
    }

    func testMonteCarlo_AgreesWithExactEnumeration() {
        let differences: [Double] = [1, 0.5, -0.25, 1, 1, -1, 0.75, 1, 0.5, 1, -0.5, 1, 0.25, 1]
        let exact = PairedSignificance.test(differences: differences)
        let sampled = PairedSignificance.test(differences: differences, exactLimit: 4, trials: 20_000, seed: 5)
        XCTAssertTrue(exact.exact)
        XCTAssertFalse(sampled.exact)
        XCTAssertEqual(sampled.pValue, exact.pValue, accuracy: 0.01)
        XCTAssertEqual(
            PairedSignificance.test(differences: differences, exactLimit: 4, seed: 5),
            PairedSignificance.test(differences: differences, exactLimit: 4, seed: 5), "seeded, so repeatable")
    }

    func testDifferences_ErrorMetricIsSignAdjusted() throws {
        var results = HydraResults(
            task: LaMPTask.productRating.rawValue, primaryMetric: "mae", higherIsBetter: false, methods: [:],
            bestPromptBaseline: nil, relativeImprovement: [:], users: [:], userDeltas: [:], timings: [:], predictions: [:],
            traces: [], notes: [])
        results.predictions["hydra"] = [Gold(id: "a", output: "4"), Gold(id: "b", output: "2"), Gold(id: "c", output: "5")]
        results.predictions["rag"] = [Gold(id: "a", output: "2"), Gold(id: "b", output: "2")]
        let golds = [Gold(id: "a", output: "4"), Gold(id: "b", output: "3"), Gold(id: "c", output: "5")]
        let differences = try PairedSignificance.differences(
            results, method: .hydra, baseline: .rag, golds: golds, task: .productRating)
        // a: hydra exact, rag off by 2 → +2; b: both off by 1 → 0; c: rag did not answer
        XCTAssertEqual(differences, [2, 0])
        XCTAssertNil(try PairedSignificance.differences(results, method: .hydra, baseline: .hydraBase, golds: golds, task: .productRating))
    }
}
