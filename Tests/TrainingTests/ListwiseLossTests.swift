import Numerics
import Training
import XCTest

/// The listwise softmax loss: its gradient against finite differences, its value on a case worked
/// by hand, and what it ignores.
final class ListwiseLossTests: XCTestCase {
    private let groups = [0, 0, 0, 1, 1, 2, 0, 1]
    private let labels = [0, 1, 0, 0, 1, 1, 0, 0]

    func testGradientMatchesFiniteDifferences() throws {
        let logits = GradientCheck.randomMatrix(groups.count, 2, seed: 11)
        let (_, grad) = try listwiseSoftmaxLoss(logits: logits, groups: groups, labels: labels)
        GradientCheck.check("listwise", values: logits.data, analytic: grad.data, samples: logits.count) { values in
            var m = logits
            m.data = values
            return Double((try? listwiseSoftmaxLoss(logits: m, groups: groups, labels: labels).loss) ?? .nan)
        }
    }

    func testValueOfOneGroupByHand() throws {
        // margins 0, ln 3: softmax (1/4, 3/4); target the second → loss = -ln(3/4)
        let logits = try Matrix(rows: 2, cols: 2, data: [0, 0, 0, Float(log(3.0))])
        let (loss, grad) = try listwiseSoftmaxLoss(logits: logits, groups: [7, 7], labels: [0, 1])
        XCTAssertEqual(loss, -Float(log(0.75)), accuracy: 1e-5)
        XCTAssertEqual(grad.data[1], 0.25, accuracy: 1e-5)
        XCTAssertEqual(grad.data[3], -0.25, accuracy: 1e-5)
        XCTAssertEqual(grad.data[0], -0.25, accuracy: 1e-5)
    }

    func testGroupsWithoutTargetOrWithOneRowGetNoGradient() throws {
        let logits = GradientCheck.randomMatrix(groups.count, 2, seed: 5)
        let (_, grad) = try listwiseSoftmaxLoss(logits: logits, groups: groups, labels: labels)
        // group 2 has a single row
        XCTAssertEqual(grad.data[5 * 2], 0)
        XCTAssertEqual(grad.data[5 * 2 + 1], 0)
        let (loss, none) = try listwiseSoftmaxLoss(logits: logits, groups: groups, labels: [Int](repeating: 0, count: groups.count))
        XCTAssertEqual(loss, 0)
        XCTAssertTrue(none.data.allSatisfy { $0 == 0 })
    }

    func testHeadLearnsToRankTheTargetFirst() throws {
        // two features; the target of each group is the row with the larger first feature
        var rng = SplitMix64(seed: 3)
        var data: [Float] = []
        var labels: [Int] = []
        var groups: [Int] = []
        for g in 0..<40 {
            let values = (0..<4).map { _ in Float(rng.normal()) }
            let best = values.indices.max { values[$0] < values[$1] } ?? 0
            for (i, v) in values.enumerated() {
                data += [v, Float(rng.normal())]
                labels.append(i == best ? 1 : 0)
                groups.append(g)
            }
        }
        let features = try Matrix(rows: labels.count, cols: 2, data: data)
        var model = FactorizedModel(config: ModelConfig(inputSize: 2, baseWidths: []), seed: 1)
        let examples = try UserExamples(userID: "u", features: features, labels: labels, groups: groups)
        let settings = TrainingSettings(epochs: 60, batchSize: 16, learningRate: 1e-2)
        try JointTraining.train(model: &model, data: [examples], settings: settings)
        let scores = try model.scores(features: features, users: [String?](repeating: "u", count: labels.count))
        var right = 0
        for g in 0..<40 {
            let rows = (0..<4).map { g * 4 + $0 }
            if let top = rows.max(by: { scores[$0] < scores[$1] }), labels[top] == 1 { right += 1 }
        }
        XCTAssertGreaterThanOrEqual(right, 32, "the trained head ranks the target first in \(right) of 40 groups")
    }
}
