import Numerics
import Training
import XCTest

final class DeterminismTests: XCTestCase {
    private func users(_ count: Int, rows: Int = 50, width: Int = 8, seed: UInt64 = 1) throws -> [UserExamples] {
        var rng = SplitMix64(seed: seed)
        return try (0..<count).map { u in
            var x = Matrix(rows: rows, cols: width)
            for i in 0..<x.count { x.data[i] = Float(rng.normal()) }
            let y = (0..<rows).map { r in x[r, u % width] > 0 ? 1 : 0 }
            return try UserExamples(userID: "u\(u)", features: x, labels: y)
        }
    }

    private let config = ModelConfig(inputSize: 8, baseWidths: [12, 10], baseActivation: .gelu, baseLayerNorm: true, baseDropout: 0.1, headDropout: 0.1)

    func testJointTraining_SameSeed_BitIdenticalWeights() throws {
        let data = try users(4)
        let settings = TrainingSettings(epochs: 3, batchSize: 16, optimizer: .adamW, learningRate: 1e-2, maxGradNorm: 1, warmupSteps: 2, linearDecay: true, seed: 3)
        var a = FactorizedModel(config: config, seed: 9)
        var b = FactorizedModel(config: config, seed: 9)
        let la = try JointTraining.train(model: &a, data: data, settings: settings)
        let lb = try JointTraining.train(model: &b, data: data, settings: settings)
        XCTAssertEqual(la, lb)
        XCTAssertEqual(a, b)
        var c = FactorizedModel(config: config, seed: 9)
        var other = settings
        other.seed = 4
        try JointTraining.train(model: &c, data: data, settings: other)
        XCTAssertNotEqual(a, c, "a different seed must change the run")
        XCTAssertNotEqual(a, FactorizedModel(config: config, seed: 9), "training must change the weights")
    }

    func testFitHeads_ParallelAndSerial_BitIdenticalHeads() throws {
        let data = try users(7)
        var trained = FactorizedModel(config: config, seed: 2)
        try JointTraining.train(model: &trained, data: Array(data.prefix(3)), settings: TrainingSettings(epochs: 2, batchSize: 16, seed: 1))
        let newcomers = Array(data.suffix(4))
        let settings = TrainingSettings(epochs: 4, batchSize: 8, optimizer: .adam, learningRate: 1e-2, seed: 11)
        var serial = trained
        var parallel = trained
        var reversed = trained
        try HeadTraining.fitHeads(model: &serial, users: newcomers, settings: settings, initialization: .fresh, workers: 1)
        try HeadTraining.fitHeads(model: &parallel, users: newcomers, settings: settings, initialization: .fresh, workers: 2)
        try HeadTraining.fitHeads(model: &reversed, users: newcomers.reversed(), settings: settings, initialization: .fresh, workers: 2)
        for user in newcomers {
            let s = try XCTUnwrap(serial.head(for: user.userID))
            XCTAssertEqual(s, parallel.head(for: user.userID), user.userID)
            XCTAssertEqual(s, reversed.head(for: user.userID), user.userID)
            XCTAssertNotEqual(s, trained.makeHead(for: user.userID, initialization: .fresh, seed: 11), "head must have trained")
        }
        XCTAssertEqual(serial.base, trained.base)
        XCTAssertEqual(serial.globalHead, trained.globalHead)
    }

    func testFitHeads_FromGlobal_StartsAtGlobalHead() throws {
        let data = try users(1)
        let model = FactorizedModel(config: config, seed: 2)
        XCTAssertEqual(model.makeHead(for: "x", initialization: .fromGlobal, seed: 0), model.globalHead)
        var zeroEpochs = model
        try HeadTraining.fitHeads(model: &zeroEpochs, users: data, settings: TrainingSettings(epochs: 0), initialization: .fromGlobal)
        XCTAssertEqual(zeroEpochs.head(for: "u0"), model.globalHead)
    }

    func testInference_BatchedScores_MatchPerUserScores() throws {
        let data = try users(3)
        var model = FactorizedModel(config: config, seed: 2)
        try JointTraining.train(model: &model, data: data, settings: TrainingSettings(epochs: 1, batchSize: 32, seed: 1))
        // one batch mixing the three users and the global head
        var rows: [[Float]] = []
        var ids: [String?] = []
        for r in 0..<5 {
            for (u, user) in data.enumerated() {
                rows.append(user.features.row(r))
                ids.append(u == 2 && r % 2 == 0 ? nil : user.userID)
            }
        }
        let batched = try model.scores(features: try Matrix(rows), users: ids)
        for (i, row) in rows.enumerated() {
            let single = try model.scores(features: try Matrix([row]), users: [ids[i]])
            XCTAssertEqual(batched[i], single[0], accuracy: 1e-6)
        }
        XCTAssertThrowsError(try model.scores(features: try Matrix([rows[0]]), users: ["nobody"])) { error in
            XCTAssertEqual(error as? TrainingError, .unknownUser("nobody"))
        }
    }
}
