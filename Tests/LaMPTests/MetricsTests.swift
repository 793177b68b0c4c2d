import XCTest

@testable import LaMP

/// Classification and rating metrics, hand-computed (LaMP evaluator + scikit-learn semantics).
final class MetricsTests: XCTestCase {
    private let labels = ["a", "b", "c"]

    func testClassification_UnknownLabels_MapToMinusOneAndMatchEachOther() throws {
        // gold "x" and prediction "y" are both unknown → -1 == -1 counts as correct (LaMP quirk)
        let s = try ClassificationMetrics.scores(golds: ["a", "x"], predictions: ["a", "y"], labels: labels)
        XCTAssertEqual(s.accuracy, 1.0)
        // label a: tp 1, support 1, predicted 1 → 1; b and c: no support, no predictions → 0
        XCTAssertEqual(s.f1, 1.0 / 3.0, accuracy: 1e-15)
    }

    func testClassification_StripsWhitespaceButKeepsCase() throws {
        let s = try ClassificationMetrics.scores(
            golds: ["a", "b"], predictions: ["\u{1C} a \n", "B"], labels: labels)
        XCTAssertEqual(s.accuracy, 0.5)
        XCTAssertEqual(ClassificationMetrics.labelIndex("\u{3000}c\t", labels: labels), 2)
        XCTAssertEqual(ClassificationMetrics.labelIndex("C", labels: labels), -1)
        // code points, not canonical equivalence: "e" + combining acute is not "é"
        XCTAssertEqual(ClassificationMetrics.labelIndex("cafe\u{301}", labels: ["caf\u{E9}"]), -1)
    }

    func testClassification_MacroF1_HandComputed() throws {
        // golds a a b c, predictions a b b ?
        // a: tp 1, support 2, predicted 1 → 2/3; b: tp 1, support 1, predicted 2 → 2/3;
        // c: tp 0, support 1, predicted 0 → 0. Macro = 4/9.
        let s = try ClassificationMetrics.scores(
            golds: ["a", "a", "b", "c"], predictions: ["a", "b", "b", "zzz"], labels: labels)
        XCTAssertEqual(s.accuracy, 0.5)
        XCTAssertEqual(s.f1, 4.0 / 9.0, accuracy: 1e-15)
    }

    func testClassification_LabelWithNoSupport_CountsAsZeroInMacro() throws {
        // only "a" ever appears: F1(a) = 1, b and c contribute 0 → 1/3 (not 1)
        let s = try ClassificationMetrics.scores(golds: ["a", "a"], predictions: ["a", "a"], labels: labels)
        XCTAssertEqual(s.accuracy, 1)
        XCTAssertEqual(s.f1, 1.0 / 3.0, accuracy: 1e-15)
        // predicted but never gold: precision 0, so F1 of c is 0; a gets 2·1/(2+1)
        let t = try ClassificationMetrics.scores(golds: ["a", "a"], predictions: ["a", "c"], labels: labels)
        XCTAssertEqual(t.f1, (2.0 / 3.0) / 3.0, accuracy: 1e-15)
    }

    func testClassification_SingleClassLabelList() throws {
        let s = try ClassificationMetrics.scores(golds: ["[1]", "[1]"], predictions: ["[1]", "[2]"], labels: ["[1]"])
        XCTAssertEqual(s.accuracy, 0.5)
        XCTAssertEqual(s.f1, 2.0 / 3.0, accuracy: 1e-15)
    }

    func testClassification_BadInput_Throws() {
        XCTAssertThrowsError(try ClassificationMetrics.scores(golds: ["a"], predictions: [], labels: labels)) {
            XCTAssertEqual($0 as? MetricsError, .countMismatch(golds: 1, predictions: 0))
        }
        XCTAssertThrowsError(try ClassificationMetrics.scores(golds: [], predictions: [], labels: labels))
    }

    func testRating_UnparseablePrediction_TakesFartherExtreme() throws {
        XCTAssertEqual(RatingMetrics.predictionValue("great!", gold: 1), 5)
        XCTAssertEqual(RatingMetrics.predictionValue("great!", gold: 2), 5)
        XCTAssertEqual(RatingMetrics.predictionValue("great!", gold: 3), 5)  // tie → 5.0
        XCTAssertEqual(RatingMetrics.predictionValue("great!", gold: 4), 1)
        XCTAssertEqual(RatingMetrics.predictionValue("", gold: 5), 1)
        // golds 1, 4, 3; predictions 2, "n/a" (→ 1.0), " 3.5 " → errors 1, 3, 0.5
        let s = try RatingMetrics.scores(golds: ["1", "4", "3"], predictions: ["2", "n/a", " 3.5 "])
        XCTAssertEqual(s.mae, 4.5 / 3, accuracy: 1e-15)
        XCTAssertEqual(s.rmse, (10.25 / 3).squareRoot(), accuracy: 1e-15)
    }

    func testRating_UnparseableGold_ThrowsNamingIt() {
        XCTAssertThrowsError(try RatingMetrics.scores(golds: ["1", "five"], predictions: ["1", "5"], ids: ["q1", "q2"])) {
            XCTAssertEqual($0 as? MetricsError, .unparseableGold(id: "q2", index: 1, value: "five"))
        }
    }

    func testRating_NonFinitePrediction_ThrowsNamingIDAndValue() {
        for bad in ["nan", "inf", "-Infinity", "1e999"] {
            XCTAssertThrowsError(
                try LaMPEvaluator.evaluate(
                    task: .productRating, golds: [Gold(id: "q1", output: "3"), Gold(id: "q2", output: "4")],
                    predictions: [Gold(id: "q1", output: "3"), Gold(id: "q2", output: bad)])
            ) { error in
                XCTAssertEqual(error as? MetricsError, .nonFinitePrediction(id: "q2", index: 1, value: bad))
                XCTAssertTrue("\(error)".contains("\"q2\""), "\(error)")
                XCTAssertTrue("\(error)".contains(bad), "\(error)")
            }
        }
        // finite values outside 1…5 are scored as LaMP scores them
        XCTAssertEqual(try RatingMetrics.scores(golds: ["3"], predictions: ["9"]).mae, 6)
    }

    func testErrors_ClipVeryLongIDs() {
        let id = String(repeating: "7", count: 5000)
        let message = MetricsError.unparseableGold(id: id, index: 0, value: "x").description
        XCTAssertLessThan(message.count, 120, message)
        XCTAssertTrue(message.contains(String(repeating: "7", count: 40) + "…"), message)
    }

    func testPythonFloat_AcceptsAndRejectsLikePython() {
        let accepted: [(String, Double)] = [
            ("3", 3), (" 4.0\n", 4), ("+2.5", 2.5), ("-1", -1), (".5", 0.5), ("5.", 5), ("1e1", 10),
            ("1_0", 10), ("1E-1", 0.1), ("３", 3), ("Infinity", .infinity), ("-inf", -.infinity),
        ]
        for (text, value) in accepted { XCTAssertEqual(PythonText.parseFloat(text), value, text) }
        XCTAssertTrue(PythonText.parseFloat("NaN")?.isNaN ?? false)
        for text in ["", ".", "1__0", "_1", "1_", "1e", "0x10", "4 stars", "--1", "in f", "1.2.3", "e5"] {
            XCTAssertNil(PythonText.parseFloat(text), text)
        }
    }

    func testNumpySum_MatchesPairwiseOrder() {
        // 9 values: eight accumulators then the ninth; differs from a left-to-right sum
        let values: [Double] = [1e16, 1, 1, 1, 1, 1, 1, 1, 1]
        let sequential = values.reduce(0, +)
        let pairwise = PythonText.numpySum(values[...])
        let first8: Double = (1e16 + 1) + (1 + 1)
        let second8: Double = (1 + 1) + (1 + 1)
        XCTAssertEqual(pairwise, first8 + second8 + 1)
        XCTAssertNotEqual(pairwise, sequential)
        XCTAssertEqual(PythonText.numpySum(Array(repeating: 0.5, count: 300)[...]), 150)
    }
}
