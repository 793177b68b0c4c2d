import XCTest

@testable import LaMP

/// `LaMPEvaluator`: metric names per task, id matching, bad input.
final class LaMPEvaluatorTests: XCTestCase {
    private func golds(_ pairs: [(String, String)]) -> [Gold] { pairs.map { Gold(id: $0.0, output: $0.1) } }

    func testEvaluate_Classification_UsesTaskLabelsAndPairsByID() throws {
        let g = golds([("1", "comedy"), ("2", "sci-fi")])
        let p = golds([("2", "sci-fi"), ("1", "horror")])  // other order; "horror" is unknown
        let m = try LaMPEvaluator.evaluate(task: .movieTag, golds: g, predictions: p)
        XCTAssertEqual(Set(m.keys), ["accuracy", "f1"])
        XCTAssertEqual(m["accuracy"], 0.5)
        XCTAssertEqual(m["f1"]!, 1.0 / 15.0, accuracy: 1e-15)
    }

    func testEvaluate_Rating_KeysMaeRmse() throws {
        let m = try LaMPEvaluator.evaluate(
            task: .productRating, golds: golds([("a", "5"), ("b", "1")]),
            predictions: golds([("a", "4"), ("b", "?")]))
        XCTAssertEqual(m, ["mae": 2.5, "rmse": (17.0 / 2).squareRoot()])
    }

    func testEvaluate_Generation_KeysRouge() throws {
        let m = try LaMPEvaluator.evaluate(
            task: .newsHeadline, golds: golds([("a", "Stocks rally"), ("b", "")]),
            predictions: golds([("a", "stocks RALLY"), ("b", "x")]))
        XCTAssertEqual(m, ["rouge-1": 0.5, "rouge-L": 0.5])
    }

    func testEvaluate_IDMismatch_NamesMissingAndExtra() {
        XCTAssertThrowsError(
            try LaMPEvaluator.evaluate(
                task: .citation, golds: golds([("1", "[1]"), ("2", "[2]")]),
                predictions: golds([("1", "[1]"), ("9", "[2]")]))
        ) { error in
            XCTAssertEqual(error as? MetricsError, .idMismatch(missing: ["2"], extra: ["9"]))
            XCTAssertTrue("\(error)".contains("2") && "\(error)".contains("9"))
        }
    }

    func testEvaluate_DuplicateIDs_Throw() {
        XCTAssertThrowsError(
            try LaMPEvaluator.evaluate(
                task: .citation, golds: golds([("1", "[1]")]), predictions: golds([("1", "[1]"), ("1", "[2]")]))
        ) { XCTAssertEqual($0 as? MetricsError, .duplicateID("1", side: "predictions", index: 1)) }
        XCTAssertThrowsError(
            try LaMPEvaluator.evaluate(
                task: .citation, golds: golds([("1", "[1]"), ("1", "[1]")]), predictions: golds([("1", "[1]")]))
        ) { XCTAssertEqual($0 as? MetricsError, .duplicateID("1", side: "golds", index: 1)) }
    }

    func testEvaluate_NoExamples_Throws() {
        XCTAssertThrowsError(try LaMPEvaluator.evaluate(task: .tweetParaphrase, golds: [], predictions: [])) {
            XCTAssertEqual($0 as? MetricsError, .noExamples(task: "LaMP_7"))
        }
    }
}
