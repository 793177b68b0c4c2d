import TUI
import WorkbenchAPI
import XCTest

final class LossHistoryTests: XCTestCase {
    let id = LossSeriesID(model: "reranker", userID: nil)

    func testShortSeries_KeepsEveryStep_WithEMA() {
        var curve = LossCurve(id: id)
        for loss: Float in [1, 0, 1] { curve.append(loss, totalSteps: 3) }
        XCTAssertEqual(curve.values, [1, 0, 1])
        XCTAssertEqual(curve.smoothed[0], 1)
        XCTAssertEqual(curve.smoothed[1], 0.95, accuracy: 1e-6)
        XCTAssertEqual(curve.smoothed[2], 0.9525, accuracy: 1e-6)
        XCTAssertEqual(curve.stride, 1)
    }

    func testHundredThousandSteps_StayBounded_AndKeepTheMean() {
        var curve = LossCurve(id: id, capacity: 1024)
        var sum = 0.0
        for step in 1...100_000 {
            let loss = Float(1.0 / Double(step).squareRoot())
            sum += Double(loss)
            curve.append(loss, totalSteps: 100_000)
        }
        XCTAssertLessThan(curve.values.count, 1024)
        XCTAssertEqual(curve.stride, 128)
        XCTAssertEqual(curve.steps, 100_000)
        // the buckets average what they cover: their mean is the mean of the steps they cover
        let covered = curve.values.count * curve.stride
        let bucketMean = curve.values.reduce(0.0) { $0 + Double($1) } / Double(curve.values.count)
        var exact = 0.0
        for step in 1...covered { exact += Double(Float(1.0 / Double(step).squareRoot())) }
        XCTAssertEqual(bucketMean, exact / Double(covered), accuracy: 1e-4)
        XCTAssertLessThan(curve.storedBytes, 16 * 1024)
        _ = sum
    }

    func testWindow_ReturnsTheBucketsOfTheLastSteps() {
        var curve = LossCurve(id: id, capacity: 8)
        for step in 1...20 { curve.append(Float(step), totalSteps: 20) }
        XCTAssertEqual(curve.stride, 4)
        XCTAssertEqual(curve.window(lastSteps: 8).raw.count, 2)
        XCTAssertEqual(curve.window(lastSteps: nil).raw.count, curve.values.count)
    }

    func testHistory_OrdersSeries_AndCountsSteps() {
        var history = LossHistory()
        let head = LossSeriesID(model: "reranker", userID: "7")
        history.add([LossPoint(series: id, step: 1, totalSteps: 2, loss: 1), LossPoint(series: head, step: 1, totalSteps: 2, loss: 2)], at: 10)
        history.add([LossPoint(series: id, step: 2, totalSteps: 2, loss: 0.5)], at: 12)
        XCTAssertEqual(history.curves.map(\.id.name), ["reranker/shared", "reranker/7"])
        XCTAssertEqual(history.totalSteps, 3)
        XCTAssertEqual(history.stepsPerSecond ?? 0, 1.5, accuracy: 1e-9)
        XCTAssertEqual(history.curve(id)?.values, [1, 0.5])
    }
}
