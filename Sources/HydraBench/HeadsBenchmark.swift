import Foundation
import Numerics
import Training

/// The `hydra bench heads` workload, mirrored by `scripts/bench/heads_peer.py` in PyTorch.
///
/// - one user: a HYDRA head (384 → 384 → 2, dropout 0.1) fitted on 128 examples of 384-d features,
///   20 epochs of batch 64, Adam lr 1e-3, shuffled: 40 steps.
/// - hundred users: 100 such fits with the base frozen, spread over both cores.
/// - joint: a 2-layer GELU base of width 384 over 384-d features plus 8 users' heads and the
///   global head, batches of 64 mixing users; examples per second.
public enum HeadsBenchmark {
    /// Feature width and hidden size.
    public static let width = 384
    /// Examples per user.
    public static let examplesPerUser = 128

    /// Random users with unit-norm features and a label from a per-user rule.
    static func makeUsers(_ count: Int, seed: UInt64) throws -> [UserExamples] {
        var rng = SplitMix64(seed: seed)
        return try (0..<count).map { u in
            var x = Matrix(rows: examplesPerUser, cols: width)
            var labels: [Int] = []
            for r in 0..<examplesPerUser {
                var norm = 0.0
                let row = (0..<width).map { _ in rng.symmetric(1) }
                for v in row { norm += v * v }
                norm = norm.squareRoot()
                for c in 0..<width { x[r, c] = Float(row[c] / norm) }
                labels.append(row[u % width] + row[(u + 1) % width] > 0 ? 1 : 0)
            }
            return try UserExamples(userID: "user\(u)", features: x, labels: labels)
        }
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static let fitSettings = TrainingSettings(epochs: 20, batchSize: 64, optimizer: .adam, learningRate: 1e-3, seed: 1)
}

/// Runs the heads benchmark and returns `one_user_s` (median of 7 fits), `hundred_users_s`
/// (best of 2) and `joint_examples_per_s`.
public func runHeadsBenchmark() throws -> [String: Double] {
    let w = HeadsBenchmark.width
    let headConfig = ModelConfig(inputSize: w, baseWidths: [], headDropout: 0.1)
    let frozen = FactorizedModel(config: headConfig, seed: 1)
    let users = try HeadsBenchmark.makeUsers(100, seed: 2)

    // one user: the fit loop on one head (features are already base outputs), both cores
    var oneUser: [Double] = []
    for trial in 0..<8 {
        var model = frozen
        let t = try HeadsBenchmark.seconds {
            try HeadTraining.fitHeads(model: &model, users: [users[trial]], settings: HeadsBenchmark.fitSettings, initialization: .fresh, workers: 2)
        }
        if trial > 0 { oneUser.append(t) }  // the first run warms up BLAS and the allocator
    }
    oneUser.sort()

    // hundred users, both cores
    var hundred = Double.infinity
    for _ in 0..<2 {
        var model = frozen
        hundred = min(hundred, try HeadsBenchmark.seconds {
            try HeadTraining.fitHeads(model: &model, users: users, settings: HeadsBenchmark.fitSettings, initialization: .fresh, workers: 2)
        })
    }

    // joint: 2-layer base of width 384, 8 users, 2 epochs of batch 64
    let jointConfig = ModelConfig(inputSize: w, baseWidths: [w, w], baseActivation: .gelu, baseDropout: 0.1, headDropout: 0.1)
    var joint = FactorizedModel(config: jointConfig, seed: 3)
    let jointUsers = Array(users.prefix(8))
    let jointSettings = TrainingSettings(epochs: 4, batchSize: 64, optimizer: .adamW, learningRate: 2e-5, weightDecay: 0.01, seed: 4)
    let jointSeconds = try HeadsBenchmark.seconds {
        try JointTraining.train(model: &joint, data: jointUsers, settings: jointSettings)
    }
    let jointExamples = Double(jointSettings.epochs * jointUsers.count * HeadsBenchmark.examplesPerUser)

    return [
        "one_user_s": oneUser[oneUser.count / 2],
        "hundred_users_s": hundred,
        "joint_examples_per_s": jointExamples / jointSeconds,
    ]
}
