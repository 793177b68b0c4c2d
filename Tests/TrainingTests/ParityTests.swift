import Foundation
import Numerics
import TestSupport
import Training
import XCTest

/// Reproduces the PyTorch run in `head_training.json` (read its `problem` block).
final class ParityTests: XCTestCase {
    private struct Problem {
        var head: HydraHead
        var features: Matrix
        var labels: [Int]
    }

    /// Seed-7 splitmix64 draws: W1, b1, W2, b2 (bound 1/√384), then X (bound 1), rows L2-normalized
    /// in Double; y = 1 when x0 + x1 > 0.
    private func makeProblem() throws -> Problem {
        var rng = SplitMix64(seed: 7)
        let head = HydraHead(hidden: 384, dropout: 0, rng: &rng)
        var features = Matrix(rows: 128, cols: 384)
        var labels: [Int] = []
        for r in 0..<128 {
            let row = (0..<384).map { _ in rng.symmetric(1) }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let unit = row.map { $0 / norm }
            for c in 0..<384 { features[r, c] = Float(unit[c]) }
            labels.append(unit[0] + unit[1] > 0 ? 1 : 0)
        }
        return Problem(head: head, features: features, labels: labels)
    }

    private func reference(_ key: String) throws -> [String: Any] {
        let root = try XCTUnwrap(try ReferenceData.json("head_training.json") as? [String: Any])
        return try XCTUnwrap(root[key] as? [String: Any], "missing \(key)")
    }

    private func checkRun(learningRate: Float, key: String) throws {
        let ref = try reference(key)
        var problem = try makeProblem()

        let initLogits = problem.head.logits(problem.features)
        let refInit = try XCTUnwrap(ref["init_logits_first8"] as? [[Double]])
        for (r, pair) in refInit.enumerated() {
            for c in 0..<2 { XCTAssertEqual(Double(initLogits[r, c]), pair[c], accuracy: 1e-5, "init logit (\(r), \(c))") }
        }

        let settings = TrainingSettings(epochs: 20, batchSize: 64, optimizer: .adam, learningRate: learningRate, shuffle: false)
        let losses = try HeadTraining.train(&problem.head, features: problem.features, labels: problem.labels, settings: settings, seed: 0)
        let refLosses = try XCTUnwrap(ref["step_losses"] as? [Double])
        XCTAssertEqual(losses.count, refLosses.count)
        var worst = 0.0
        for (i, (ours, theirs)) in zip(losses, refLosses).enumerated() {
            worst = max(worst, abs(Double(ours) - theirs))
            XCTAssertEqual(Double(ours), theirs, accuracy: 1e-5, "step \(i) loss")
        }

        let finalLogits = problem.head.logits(problem.features)
        let refFinal = try XCTUnwrap(ref["final_logits_first8"] as? [[Double]])
        var worstLogit = 0.0
        for (r, pair) in refFinal.enumerated() {
            for c in 0..<2 {
                worstLogit = max(worstLogit, abs(Double(finalLogits[r, c]) - pair[c]))
                XCTAssertEqual(Double(finalLogits[r, c]), pair[c], accuracy: 1e-4, "final logit (\(r), \(c))")
            }
        }
        let refB2 = try XCTUnwrap(ref["final_b2"] as? [Double])
        for c in 0..<2 { XCTAssertEqual(Double(problem.head.outProj.bias.value.data[c]), refB2[c], accuracy: 1e-4) }
        let refW1Sum = try XCTUnwrap(ref["final_W1_sum"] as? Double)
        let w1Sum = problem.head.dense.weight.value.data.reduce(0.0) { $0 + Double($1) }
        XCTAssertEqual(w1Sum, refW1Sum, accuracy: 1e-2)
        print("parity \(key): max step-loss diff \(worst), max final-logit diff \(worstLogit)")
    }

    func testHeadTraining_AdamLR1e3_MatchesPyTorchFloat32Run() throws {
        try checkRun(learningRate: 1e-3, key: "lr_0.001_float32")
    }

    func testHeadTraining_AdamLR2e5_MatchesPyTorchFloat32Run() throws {
        try checkRun(learningRate: 2e-5, key: "lr_2e-05_float32")
    }
}
