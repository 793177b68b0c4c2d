import DemoData
import Encoder
import Foundation
import GenerationCache
@testable import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import Numerics
import SessionStore
import Training
import XCTest

/// Re-fitting one user's heads on an edited history, the head map and what a head learned.
final class HeadRefitTests: XCTestCase {
    /// The fit settings the last `run()` chose, which a re-fit must use to reproduce its heads.
    private var runFitSelection: FitSelectionReport?

    private func run() async throws -> (engine: HydraPipeline, models: TrainedModels, llm: FakeTagLLM, store: SessionStore) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-refit-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let spec = DemoSpec(task: .movieTag, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2)
        _ = try DemoGenerator(spec: spec).write(to: root.appendingPathComponent("data"))
        let dataset = try LaMPDataset.load(directory: root.appendingPathComponent("data"))
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = HydraConfig(task: .movieTag)
        config.retrieval.k = 4
        config.labelling.labelK = nil
        config.sampling.n = 4
        config.labelling.pseudoQueriesPerTrainUser = 2
        config.labelling.pseudoQueriesPerEvalUser = 3
        config.labelling.adapterPseudoQueriesPerEvalUser = 2
        config.retrieval.promptTokens = 512
        config.training.baseWidths = [16]
        config.training.joint.epochs = 3
        config.training.fit.epochs = 5
        let llm = FakeTagLLM()
        let engine = HydraPipeline(
            dataset: dataset, config: config, client: try CachedLLMClient(wrapping: llm, database: store.database),
            encoder: HashingEncoder(), embeddings: EmbeddingCache(store: store), store: store, tokenCounter: WhitespaceTokenCounter())
        runFitSelection = try await engine.run().fitSelection
        return (engine, try engine.savedModels(), llm, store)
    }

    private func flat(_ head: HydraHead?) -> [Float] {
        guard let head else { return [] }
        return head.dense.weight.value.data + head.dense.bias.value.data + head.outProj.weight.value.data + head.outProj.bias.value.data
    }

    func testRefit_UneditedHistoryReproducesTheRunsHeadsFromTheCacheAlone() async throws {
        let (engine, models, llm, _) = try await run()
        let user = try XCTUnwrap(try engine.users().eval.first)
        let callsBefore = llm.calls
        let labelled = try await engine.labelCases(try engine.fitCases(for: user), user: user)
        XCTAssertEqual(llm.calls.choose, callsBefore.choose, "the run labelled these cases: every call is cached")
        let refitted = try await engine.refitHeads(user: user, labelled: labelled, models: models, fitSelection: runFitSelection)
        for (name, old, new) in [
            ("reranker", models.reranker, refitted.models.reranker), ("adapter", models.adapter, refitted.models.adapter),
        ] {
            let a = flat(old?.head(for: user.id)), b = flat(new?.head(for: user.id))
            XCTAssertEqual(a.count, b.count, name)
            XCTAssertLessThan(zip(a, b).map { abs($0 - $1) }.max() ?? 1, 1e-5, "\(name): same data and seed, same head")
            // every other head is untouched
            for other in try engine.users().eval where other.id != user.id {
                XCTAssertEqual(flat(old?.head(for: other.id)), flat(new?.head(for: other.id)), name)
            }
        }
        XCTAssertGreaterThan(refitted.rerankerExamples, 0)
        XCTAssertNotNil(refitted.adapterLoss)
    }

    func testRefit_SameEditsAndSeedGiveTheSameHeads_OtherEditsDiffer() async throws {
        let (engine, models, _, _) = try await run()
        let original = try XCTUnwrap(try engine.users().eval.first)
        let removed = Set(original.profile.prefix(6).map(\.id))
        func fit(_ edit: ProfileEdit) async throws -> [Float] {
            let user = engine.edited(original, edit)
            XCTAssertEqual(user.profile.count, original.profile.count - edit.removed.count + edit.added.count)
            let labelled = try await engine.labelCases(try engine.fitCases(for: user), user: user)
            return flat(try await engine.refitHeads(user: user, labelled: labelled, models: models).models.adapter?.head(for: original.id))
        }
        let first = try await fit(ProfileEdit(removed: removed))
        let second = try await fit(ProfileEdit(removed: removed))
        XCTAssertEqual(first, second)
        let unedited = flat(models.adapter?.head(for: original.id))
        XCTAssertNotEqual(first, unedited, "a history without six items gives the head other data")
        let added = ProfileItem(id: "new-1", fields: ["tag": "comedy", "description": "a clown and a goat share a flat"])
        let withAdded = try await fit(ProfileEdit(removed: removed, added: [added]))
        XCTAssertEqual(engine.edited(original, ProfileEdit(added: [added])).profile.last, added)
        XCTAssertEqual(withAdded.count, first.count)
    }

    func testRefit_AHistoryOfOneItemSaysWhyNoHeadCanBeFitted() async throws {
        let (engine, _, _, _) = try await run()
        let original = try XCTUnwrap(try engine.users().eval.first)
        let user = engine.edited(original, ProfileEdit(removed: Set(original.profile.dropFirst().map(\.id))))
        XCTAssertThrowsError(try engine.fitCases(for: user)) { error in
            XCTAssertEqual(error as? RefitError, .historyTooSmall(userID: original.id, items: 1))
            XCTAssertTrue("\(error)".contains("at least 2"), "\(error)")
        }
    }

    func testAnswerQuestions_BeforeAndAfterUseEachFitsHeads() async throws {
        let (engine, models, _, _) = try await run()
        let user = try XCTUnwrap(try engine.users().eval.first)
        let answers = try await engine.answerQuestions(of: user, models: models)
        XCTAssertEqual(answers.map(\.questionID), user.questions.map(\.question.id))
        for answer in answers {
            XCTAssertEqual(Set(answer.ranking).count, answer.ranking.count)
            XCTAssertTrue([0, 1].contains(answer.metric), "accuracy of one question")
            XCTAssertEqual(answer.metric, try engine.questionMetric(answer.pick, gold: answer.gold, id: answer.questionID))
        }
        // without their head the user is scored by the global head: hydra equals hydra-base
        let global = try await engine.answerQuestions(
            of: user, models: TrainedModels(reranker: models.reranker?.removingHead(of: user.id), adapter: models.adapter?.removingHead(of: user.id)))
        for answer in global {
            XCTAssertEqual(answer.pick, answer.basePick)
        }
        XCTAssertEqual(engine.delta(global) ?? 1, 0, accuracy: 1e-12)
    }

    func testRecentHistory_ByDateWhenEveryItemHasOneElseTheProfilesLastItems() async throws {
        let (engine, _, _, _) = try await run()
        let user = try XCTUnwrap(try engine.users().eval.first)
        XCTAssertEqual(engine.recentHistory(user, size: 3), Array(user.profile.suffix(3)))
        let dated = engine.edited(user, profile: [
            ProfileItem(id: "b", fields: ["date": "2020-02-01"]), ProfileItem(id: "a", fields: ["date": "2021-01-01"]),
            ProfileItem(id: "c", fields: ["date": "2019-05-01"]),
        ])
        XCTAssertEqual(engine.recentHistory(dated, size: 2).map(\.id), ["b", "a"])
    }

    func testHeadMap_PlacesHeadsThatScoreAlikeTogether() throws {
        var model = FactorizedModel(config: ModelConfig(inputSize: 6, baseWidths: [8]), seed: 1)
        var rng = SplitMix64(seed: 9)
        let twin = HydraHead(hidden: 8, dropout: 0, rng: &rng)
        model.setHead(twin, for: "a")
        model.setHead(twin, for: "a-twin")
        for id in ["b", "c", "d"] { model.setHead(HydraHead(hidden: 8, dropout: 0, rng: &rng), for: id) }
        let probe = try Matrix(rows: 20, cols: 6, data: (0..<120).map { _ in Float(rng.symmetric(1)) })
        let map = HeadMapProjection(model: model, probe: probe)
        XCTAssertEqual(map.userIDs, ["a", "a-twin", "b", "c", "d", nil])
        XCTAssertEqual(map.points[0].x, map.points[1].x, accuracy: 1e-9)
        XCTAssertEqual(map.points[0].y, map.points[1].y, accuracy: 1e-9)
        let spread = map.points.dropLast().map { abs($0.x) + abs($0.y) }.max() ?? 0
        XCTAssertGreaterThan(spread, 0.01, "different heads get different points")
        XCTAssertEqual(map.explainedVariance.count, 2)
        XCTAssertLessThanOrEqual(map.explainedVariance.reduce(0, +), 1 + 1e-9)
    }
}
