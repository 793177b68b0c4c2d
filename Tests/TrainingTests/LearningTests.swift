import Numerics
import Training
import XCTest

/// Synthetic users who disagree: all see the same kind of 16-d features, but each labels an
/// example 1 when it lies on the positive side of the user's own random hyperplane. A single
/// global head cannot serve them all; personal heads can.
final class LearningTests: XCTestCase {
    static let inputSize = 16

    private struct SyntheticUser {
        let train: UserExamples
        let heldOut: UserExamples
    }

    private func makeUser(_ id: String, seed: UInt64, trainCount: Int = 240, testCount: Int = 200) throws -> SyntheticUser {
        var rng = SplitMix64(seed: seed)
        let direction = (0..<Self.inputSize).map { _ in rng.normal() }
        func sample(_ n: Int) throws -> UserExamples {
            var x = Matrix(rows: n, cols: Self.inputSize)
            var y: [Int] = []
            for r in 0..<n {
                var s = 0.0
                for c in 0..<Self.inputSize {
                    let v = rng.normal()
                    x[r, c] = Float(v)
                    s += v * direction[c]
                }
                y.append(s > 0 ? 1 : 0)
            }
            return try UserExamples(userID: id, features: x, labels: y)
        }
        return SyntheticUser(train: try sample(trainCount), heldOut: try sample(testCount))
    }

    private func accuracy(_ model: FactorizedModel, _ examples: UserExamples, personalized: Bool) throws -> Double {
        let users = [String?](repeating: examples.userID, count: examples.labels.count)
        let scores = try model.scores(features: examples.features, users: users, personalized: personalized)
        let correct = zip(scores, examples.labels).filter { ($0 > 0.5 ? 1 : 0) == $1 }.count
        return Double(correct) / Double(examples.labels.count)
    }

    func testPersonalHeads_BeatGlobalHead_OnHeldOutExamples_AndNewUsersFitWithFrozenBase() throws {
        let config = ModelConfig(inputSize: Self.inputSize, baseWidths: [32], baseActivation: .gelu, baseDropout: 0, headDropout: 0.1)
        var model = FactorizedModel(config: config, seed: 1)
        let users = try (0..<10).map { try makeUser("user\($0)", seed: 100 + UInt64($0)) }
        let joint = TrainingSettings(epochs: 25, batchSize: 64, optimizer: .adamW, learningRate: 3e-3, weightDecay: 0.01, seed: 5)
        try JointTraining.train(model: &model, data: users.map(\.train), settings: joint)

        var personal = 0.0
        var global = 0.0
        for user in users {
            personal += try accuracy(model, user.heldOut, personalized: true)
            global += try accuracy(model, user.heldOut, personalized: false)
        }
        personal /= Double(users.count)
        global /= Double(users.count)
        print("learning: training users held-out accuracy personal \(personal), global \(global)")
        XCTAssertGreaterThan(personal, 0.85)
        XCTAssertGreaterThan(personal - global, 0.2)

        // brand-new users, base frozen: fresh heads and heads copied from the global head
        let newcomers = try (0..<4).map { try makeUser("new\($0)", seed: 900 + UInt64($0)) }
        let fit = TrainingSettings(epochs: 40, batchSize: 32, optimizer: .adam, learningRate: 3e-3, seed: 6)
        let baseBefore = model.base
        var results: [HeadInitialization: (personal: Double, global: Double)] = [:]
        for initialization in [HeadInitialization.fresh, .fromGlobal] {
            var fitted = model
            try HeadTraining.fitHeads(model: &fitted, users: newcomers.map(\.train), settings: fit, initialization: initialization)
            XCTAssertEqual(fitted.base, baseBefore, "fit mode must not touch the base")
            var p = 0.0
            var g = 0.0
            for user in newcomers {
                p += try accuracy(fitted, user.heldOut, personalized: true)
                g += try accuracy(fitted, user.heldOut, personalized: false)
            }
            results[initialization] = (p / Double(newcomers.count), g / Double(newcomers.count))
        }
        for (initialization, r) in results {
            print("learning: new users (\(initialization.rawValue)) held-out accuracy personal \(r.personal), global \(r.global)")
            XCTAssertGreaterThan(r.personal, 0.8, "\(initialization)")
            XCTAssertGreaterThan(r.personal - r.global, 0.2, "\(initialization)")
        }
    }
}
