import DemoData
import Encoder
import Foundation
import GenerationCache
@testable import EngineBackend
@testable import HydraEngine
import LaMP
import LLMTestSupport
import Numerics
import SessionStore
import Training
import XCTest

/// The head inspector's "what the head learned" against the demo users' latent preferences: heads
/// trained on each user's favourite tags recover their ranking; heads trained on a shuffled
/// assignment of favourites (the control) do not.
final class LatentRecoveryTests: XCTestCase {
    private struct Fixture {
        let engine: HydraPipeline
        let users: [String: DemoUser]
    }

    private func fixture() throws -> Fixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-latent-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let spec = DemoSpec(task: .movieTag, users: 12, seed: 5, profileSize: 20...30, questionsPerUser: 2)
        let directory = root.appendingPathComponent("data")
        _ = try DemoGenerator(spec: spec).write(to: directory)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = HydraConfig(task: .movieTag)
        config.sampling.n = 4
        let engine = HydraPipeline(
            dataset: try LaMPDataset.load(directory: directory), config: config,
            client: try CachedLLMClient(wrapping: FakeTagLLM(), database: store.database), encoder: HashingEncoder(),
            embeddings: EmbeddingCache(store: store), store: store, tokenCounter: WhitespaceTokenCounter())
        return Fixture(engine: engine, users: LatentRecovery.demoUsers(in: directory))
    }

    /// Heads fitted, per user, on (query, tag) pairs labelled 1 for the tags `favourites` gives the user.
    private func heads(_ f: Fixture, favourites: (DemoUser) -> Set<String>) throws -> TrainedModels {
        let (train, eval) = try f.engine.users()
        let labels = try XCTUnwrap(LaMPTask.movieTag.labels)
        let share = 1 / Float(f.engine.config.sampling.n), probability = 1 / Float(labels.count)
        var examples: [UserExamples] = []
        for user in train + eval {
            let liked = favourites(try XCTUnwrap(f.users[user.id]))
            let queries = f.engine.probeQueries(user)
            let vectors = try f.engine.embed(queries + labels)
            var rows: [Float] = []
            var y: [Int] = []
            for query in queries {
                for label in labels {
                    PairFeatures.append(u: vectors[query]!, v: vectors[label]!, scalars: [share, probability], to: &rows)
                    y.append(liked.contains(label) ? 1 : 0)
                }
            }
            examples.append(try UserExamples(
                userID: user.id, features: Matrix(rows: y.count, cols: f.engine.featureWidth, data: rows), labels: y))
        }
        var model = FactorizedModel(config: ModelConfig(inputSize: f.engine.featureWidth, baseWidths: [32], baseDropout: 0, headDropout: 0), seed: 2)
        let settings = TrainingSettings(epochs: 30, batchSize: 32, learningRate: 1e-2, weightDecay: 0, seed: 1)
        try JointTraining.train(model: &model, data: examples.filter { e in train.contains { $0.id == e.userID } }, settings: settings)
        try HeadTraining.fitHeads(model: &model, users: examples, settings: settings, initialization: .fromGlobal)
        return TrainedModels(reranker: nil, adapter: model)
    }

    private func meanRecovery(_ f: Fixture, _ models: TrainedModels) throws -> (mean: Double, users: Int) {
        var values: [Double] = []
        for (id, user) in f.users {
            let preference = try XCTUnwrap(try f.engine.preference(userID: id, models: models))
            XCTAssertEqual(preference.labelShifts.map(\.label), LaMPTask.movieTag.labels)
            if let recovery = LatentRecovery.compare(user, preference: preference)?.recovery { values.append(recovery) }
        }
        return (values.reduce(0, +) / Double(max(1, values.count)), values.count)
    }

    func testHeadsTrainedOnTheLatentFavouritesRecoverThem_AShuffledControlDoesNot() throws {
        let f = try fixture()
        let learned = try meanRecovery(f, try heads(f) { Set($0.movieTags?.favouriteTags ?? []) })
        XCTAssertEqual(learned.users, f.users.count)
        // the control: each user gets favourites drawn from a permutation of the tags fixed by their id
        let control = try meanRecovery(f, try heads(f) { user in
            var tags = user.movieTags?.tagRanking ?? []
            var rng = SplitMix64(seed: SplitMix64.derivedSeed(11, user.userID))
            rng.shuffle(&tags)
            return Set(tags.prefix(user.movieTags?.favouriteTags.count ?? 2))
        })
        print("latent recovery: learned heads \(learned.mean), shuffled control \(control.mean) over \(learned.users) users")
        XCTAssertGreaterThan(learned.mean, 0.25, "learned \(learned.mean), control \(control.mean)")
        XCTAssertLessThan(abs(control.mean), 0.2, "learned \(learned.mean), control \(control.mean)")
        XCTAssertGreaterThan(learned.mean, control.mean + 0.2)
    }

    func testRatingsRecoveryFollowsTheBiasSignAndANeutralRaterHasNone() {
        let generous = DemoUser(userID: "g", split: .dev, profileSize: 3, questionIDs: [], rating: RatingPreference(bias: 1, spread: 0.3))
        let harsh = DemoUser(userID: "h", split: .dev, profileSize: 3, questionIDs: [], rating: RatingPreference(bias: -1, spread: 0.3))
        let neutral = DemoUser(userID: "n", split: .dev, profileSize: 3, questionIDs: [], rating: RatingPreference(bias: 0, spread: 0.3))
        let raisesHighScores = HeadPreference(
            labelShifts: ["1", "2", "3", "4", "5"].enumerated().map { ($0.element, Double($0.offset) * 0.1 - 0.2) }, featureWeights: [])
        XCTAssertEqual(LatentRecovery.compare(generous, preference: raisesHighScores)?.recovery ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(LatentRecovery.compare(harsh, preference: raisesHighScores)?.recovery ?? 0, -1, accuracy: 1e-12)
        XCTAssertNil(LatentRecovery.compare(neutral, preference: raisesHighScores)?.recovery)
    }

    func testHeadlineRecoveryCountsTheStyleAttributesRewardedWithTheRightSign() {
        let style = HeadlineStyle(length: .long, casing: .upper, questionForm: false, signature: .none, noiseRate: 0)
        let user = DemoUser(userID: "u", split: .dev, profileSize: 3, questionIDs: [], headline: style)
        let weights: [(String, Double)] = [("length", 0.5), ("upper case", -0.2), ("question", -0.4), ("capitalised", 0.9)]
        let latent = LatentRecovery.compare(user, preference: HeadPreference(labelShifts: [], featureWeights: weights))
        // length right (+), upper case wrong (−), question right (−)
        XCTAssertEqual(latent?.recovery ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertTrue(latent?.summary.contains("long") == true)
    }
}
