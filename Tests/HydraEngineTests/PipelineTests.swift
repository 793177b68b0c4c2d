import DemoData
import Encoder
import Foundation
import GenerationCache
import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import SessionStore
import Training
import XCTest

final class PipelineTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A small LaMP_2 demo dataset: 6 training and 3 evaluation users.
    private func demoDataset(task: LaMPTask = .movieTag, in root: URL) throws -> LaMPDataset {
        let spec = DemoSpec(task: task, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2)
        let directory = root.appendingPathComponent("data")
        _ = try DemoGenerator(spec: spec).write(to: directory)
        return try LaMPDataset.load(directory: directory)
    }

    private func smallConfig(_ task: LaMPTask) -> HydraConfig {
        var config = HydraConfig(task: task)
        config.retrieval.k = 4
        config.labelling.labelK = nil
        config.sampling.n = 4
        config.labelling.pseudoQueriesPerTrainUser = 2
        config.labelling.pseudoQueriesPerEvalUser = 3
        config.labelling.adapterPseudoQueriesPerEvalUser = 0
        config.retrieval.promptTokens = 512
        config.training.baseWidths = [16]
        config.training.joint.epochs = 3
        config.training.fit.epochs = 3
        return config
    }

    private func pipeline(_ dataset: LaMPDataset, config: HydraConfig, llm: any LLMClient, store: SessionStore) throws -> HydraPipeline {
        HydraPipeline(
            dataset: dataset, config: config, client: try CachedLLMClient(wrapping: llm, database: store.database),
            encoder: HashingEncoder(), embeddings: EmbeddingCache(store: store), store: store,
            tokenCounter: WhitespaceTokenCounter())
    }

    func testTrainingCases_EvalUsersGetOnlyPseudoQueriesThatExcludeTheirItem() throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        let engine = try pipeline(dataset, config: smallConfig(.movieTag), llm: FakeTagLLM(), store: store)
        let (train, eval) = try engine.users()
        XCTAssertEqual(train.count, 6)
        XCTAssertEqual(eval.count, 3)
        let cases = engine.trainingCases(train: train, eval: eval)
        let evalIDs = Set(eval.map(\.id))
        let evalCases = cases.filter { evalIDs.contains($0.userID) }
        XCTAssertEqual(evalCases.count, 9)
        XCTAssertTrue(evalCases.allSatisfy(\.isPseudo))
        XCTAssertEqual(cases.filter { !$0.isPseudo }.count, 6 * 2)
        for c in evalCases {
            let user = try XCTUnwrap(eval.first { $0.id == c.userID })
            let itemID = String(c.id.split(separator: ":").last ?? "")
            let item = try XCTUnwrap(user.profile.first { $0.id == itemID })
            XCTAssertEqual(c.gold, item["tag"])
            XCTAssertTrue(c.input.hasSuffix(item["description"]))
            XCTAssertFalse(c.hits.contains { user.profile[$0.index].id == itemID }, "a pseudo-query must not retrieve its own item")
            XCTAssertEqual(c.hits.count, 4)
        }
    }

    func testAdapterOnlyPseudoQueries_OneCallEachAndNoRerankerRows() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = smallConfig(.movieTag)
        config.labelling.adapterPseudoQueriesPerEvalUser = 5
        let llm = FakeTagLLM()
        let engine = try pipeline(dataset, config: config, llm: llm, store: store)
        let (train, eval) = try engine.users()
        let evalIDs = Set(eval.map(\.id))
        let evalCases = engine.trainingCases(train: train, eval: eval).filter { evalIDs.contains($0.userID) }
        // per user: 3 full pseudo-queries, then 5 adapter-only ones, all on distinct items
        XCTAssertEqual(evalCases.count, 3 * 8)
        for user in eval {
            let mine = evalCases.filter { $0.userID == user.id }
            XCTAssertEqual(mine.map(\.labelsItems), Array(repeating: true, count: 3) + Array(repeating: false, count: 5))
            XCTAssertEqual(Set(mine.map(\.id)).count, 8)
        }
        let adapterOnly = try XCTUnwrap(evalCases.first { !$0.labelsItems })
        let before = llm.calls.choose
        let labelled = try await engine.labelForInspection(adapterOnly)
        XCTAssertEqual(llm.calls.choose - before, 1, "an adapter-only case costs the one candidates call")
        XCTAssertTrue(labelled.itemAnswers.isEmpty && labelled.rerankerLabels.isEmpty)
        XCTAssertFalse(labelled.adapterExamples(.gold, n: config.sampling.n).isEmpty)

        let results = try await engine.run()
        let models = try engine.savedModels()
        XCTAssertNotNil(results.methods["hydra"])
        let losses = try store.lossPhases()
        for user in eval { XCTAssertTrue(losses.contains("adapter/fit/\(user.id)")) }
        XCTAssertNotNil(models.adapter?.headIndex(of: eval[0].id))
    }

    func testRun_FakeLLM_LabelsPhasesMethodsAndResults() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        let llm = FakeTagLLM()
        let config = smallConfig(.movieTag)
        let engine = try pipeline(dataset, config: config, llm: llm, store: store)

        // labels: the fake LLM copies the item's tag, so an item is useful exactly when its tag is the gold
        let (train, eval) = try engine.users()
        let first = engine.trainingCases(train: train, eval: eval)[0]
        let user = train[0]
        let labelled = try await engine.labelForInspection(first)
        XCTAssertEqual(labelled.rerankerLabels, first.hits.map { user.profile[$0.index]["tag"] == first.gold ? 1 : 0 })
        let examples = labelled.adapterExamples(.gold, n: config.sampling.n)
        XCTAssertEqual(examples.map(\.label), examples.map { $0.candidate.text == first.gold ? 1 : 0 })

        let events = EventLog()
        let results = try await engine.run { events.append($0) }
        // every method but extractive, which generation tasks alone have
        XCTAssertEqual(Set(results.methods.keys), Set(HydraMethod.allCases.filter { $0 != .extractive }.map(\.rawValue)))
        for (method, metrics) in results.methods {
            let accuracy = try XCTUnwrap(metrics["accuracy"], method)
            XCTAssertTrue((0...1).contains(accuracy))
            XCTAssertNotNil(metrics["f1"])
            XCTAssertEqual(results.predictions[method]?.count, 6)
        }
        // hydra-base and hydra differ only in the heads; every eval user has a delta
        XCTAssertEqual(Set(results.userDeltas.keys), Set(eval.map(\.id)))
        let best = try XCTUnwrap(results.bestPromptBaseline)
        XCTAssertEqual(results.relativeImprovement[best] ?? -1, 0, accuracy: 1e-12)
        // phases: joint on training users, then one fit per evaluation user, both saved
        let phases = try store.lossPhases()
        XCTAssertTrue(phases.contains("reranker/joint"))
        XCTAssertTrue(phases.contains("adapter/joint"))
        for u in eval { XCTAssertTrue(phases.contains("reranker/fit/\(u.id)"), "no fit for \(u.id)") }
        // weights are stored per key (`reranker-fit@<key>`), the run's in-use record names them
        let fitName = try XCTUnwrap(try store.weightsInUse()["reranker-fit"])
        XCTAssertTrue(fitName.hasPrefix("reranker-fit@"), fitName)
        let fitted = try Checkpoint.load(data: try XCTUnwrap(try store.loadWeights(name: fitName))).model
        XCTAssertEqual(Set(fitted.userIDs), Set(train.map(\.id) + eval.map(\.id)))
        XCTAssertEqual(try store.methodResults().count, 8)
        XCTAssertEqual(results.traces.count, 6)
        XCTAssertTrue(results.traces.allSatisfy { $0.items.count == 4 && $0.predictions.count == 8 })
        XCTAssertTrue(events.stagesFinished.contains(.fit))
        // what the personal heads changed is counted over the traces and said in the notes
        let influence = try XCTUnwrap(results.headInfluence)
        XCTAssertEqual(influence, HeadInfluence(traces: results.traces, promptItems: config.retrieval.r))
        XCTAssertEqual(influence.questions, 6)
        XCTAssertEqual(
            influence.answersChanged,
            results.traces.filter { $0.predictions["hydra"] != $0.predictions["hydra-base"] }.count)
        XCTAssertTrue(results.notes.contains(influence.summary), "\(results.notes)")

        // a warm re-run makes no new LLM call and reuses the saved weights
        let callsBefore = llm.calls
        let warmEvents = EventLog()
        let warm = try await pipeline(dataset, config: config, llm: llm, store: store).run { warmEvents.append($0) }
        XCTAssertEqual(llm.calls.choose, callsBefore.choose)
        XCTAssertEqual(warm.methods, results.methods)
        XCTAssertEqual(warmEvents.notes.filter { $0.contains("reusing saved") }.count, 4, "\(warmEvents.notes)")

        // reports
        let out = root.appendingPathComponent("out")
        try ResultsReport.write(results, task: .movieTag, to: out)
        for file in ["results.md", "results.json", "results.csv", "predictions/hydra.json", "predictions/zero-shot.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        XCTAssertTrue(ResultsReport.markdown(results).contains("| hydra-base |"))
        XCTAssertTrue(ResultsReport.markdown(results).contains("What the personal heads changed against the global heads on the same inputs, of 6 questions"))
    }

    func testRun_StageTableReportsEachStagesLLMWork() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        let llm = MeteredLLM(wrapping: FakeTagLLM())
        let config = smallConfig(.movieTag)
        let results = try await pipeline(dataset, config: config, llm: llm, store: store).run { event in
            if case .stageStarted(let stage, _) = event { llm.stage = stage.rawValue }
        }

        // only the stages that call the LLM are reported, each with exactly the calls made in it
        XCTAssertEqual(Set(results.llmUsage.keys), ["labels", "inference"])
        for stage in ["labels", "inference"] {
            let reported = try XCTUnwrap(results.llmUsage[stage])
            let made = llm.usage(in: stage)
            XCTAssertGreaterThan(made.calls, 0, stage)
            XCTAssertEqual(reported.generateCalls, made.generateCalls, stage)
            XCTAssertEqual(reported.chooseCalls, made.chooseCalls, stage)
            XCTAssertEqual(reported.cacheMisses, made.calls, stage)
            XCTAssertEqual(reported.promptTokens, made.promptTokens, stage)
            XCTAssertEqual(reported.generatedTokens, made.generatedTokens, stage)
            XCTAssertEqual(try XCTUnwrap(reported.prefillSeconds), try XCTUnwrap(made.prefillSeconds), accuracy: 1e-9, stage)
            XCTAssertEqual(try XCTUnwrap(reported.decodeSeconds), try XCTUnwrap(made.decodeSeconds), accuracy: 1e-9, stage)
            XCTAssertEqual(try XCTUnwrap(reported.attentionSeconds), try XCTUnwrap(made.attentionSeconds), accuracy: 1e-9, stage)

            let figures = try XCTUnwrap(results.stageLLMFigures[stage])
            let seconds = try XCTUnwrap(results.timings[stage])
            XCTAssertEqual(figures.seconds, seconds)
            XCTAssertEqual(figures.tokensPerSecond, Double(made.promptTokens + made.generatedTokens) / seconds, accuracy: 1e-6)
            XCTAssertEqual(try XCTUnwrap(figures.prefillShare), try XCTUnwrap(reported.prefillSeconds) / seconds, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(figures.decodeShare), try XCTUnwrap(reported.decodeSeconds) / seconds, accuracy: 1e-9)
        }

        let table = ResultsReport.markdown(results)
        XCTAssertTrue(table.contains("| stage | seconds | LLM calls | cache hits | prompt tokens | generated tokens | tokens/s | prefill | decode | attention |"), table)
        let labels = try XCTUnwrap(results.llmUsage["labels"])
        let labelsRow = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("| labels |") })
        let cells = labelsRow.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(Array(cells[2...5]), ["\(labels.calls)", "\(labels.cacheHits)", "\(labels.promptTokens)", "\(labels.generatedTokens)"])
        let prefillPercent = try XCTUnwrap(results.stageLLMFigures["labels"]?.prefillShare) * 100
        XCTAssertEqual(cells[7], String(format: "%.0f%%", prefillPercent))
        let trainingRow = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("| training |") })
        XCTAssertEqual(trainingRow.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.count, 2,
                       "a stage without LLM work has empty LLM cells")

        // a warm re-run serves every call from the cache: no backend call, all hits
        let warm = try await pipeline(dataset, config: config, llm: llm, store: store).run()
        let warmLabels = try XCTUnwrap(warm.llmUsage["labels"])
        XCTAssertEqual(warmLabels.calls, 0)
        XCTAssertEqual(warmLabels.cacheHits, labels.cacheHits + labels.cacheMisses)
        XCTAssertEqual(warmLabels.promptTokens, 0)
    }

    func testInspect_TrainingQuestion_LabelsDenseCandidatesAndPicks() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        let engine = try pipeline(dataset, config: smallConfig(.movieTag), llm: FakeTagLLM(), store: store)
        _ = try await engine.run()
        let models = try engine.savedModels()
        let (train, eval) = try engine.users()
        let user = train[0]
        let (question, gold) = user.questions[0]

        let inspection = try await engine.inspect(questionID: question.id, models: models)
        XCTAssertEqual(inspection.userID, user.id)
        XCTAssertEqual(inspection.gold, gold)
        XCTAssertEqual(inspection.items.count, 4)
        // the fake LLM copies the tag of the item in the prompt: useful exactly when it is the gold
        for item in inspection.items {
            let profileItem = try XCTUnwrap(user.profile.first { $0.id == item.ranked.itemID })
            XCTAssertEqual(item.trainingLabel, profileItem["tag"] == gold ? 1 : 0)
            XCTAssertEqual(item.answerAlone, profileItem["tag"])
        }
        XCTAssertEqual(inspection.items.map(\.ranked.personalRank).sorted(), [0, 1, 2, 3])
        XCTAssertEqual(inspection.dense.map(\.rank), [0, 1, 2, 3])
        XCTAssertEqual(inspection.dense.map(\.score), inspection.dense.map(\.score).sorted(by: >))
        XCTAssertTrue(inspection.candidates.contains { $0.candidate.text == inspection.personalPick })
        XCTAssertEqual(inspection.metric, "accuracy")
        XCTAssertEqual(inspection.personalMetric, inspection.personalPick == gold ? 1 : 0)
        XCTAssertEqual(inspection.baseMetric, inspection.basePick == gold ? 1 : 0)

        // an evaluation user's question was never a training case: no labels
        let evalInspection = try await engine.inspect(questionID: eval[0].questions[0].question.id, models: models)
        XCTAssertTrue(evalInspection.items.allSatisfy { $0.trainingLabel == nil })
        do {
            _ = try await engine.inspect(questionID: "no-such-question", models: models)
            XCTFail("an unknown question must be an error")
        } catch let error as HydraEngineError {
            XCTAssertEqual(error, .invalidSetting(name: "question", value: "no-such-question"))
        }
    }

    func testRun_Cancelled_StopsWithCancellationError() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        let engine = try pipeline(dataset, config: smallConfig(.movieTag), llm: FakeTagLLM(), store: store)
        let task = Task { try await engine.run() }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled run must not finish")
        } catch {
            XCTAssertTrue(error is CancellationError || (error as? TrainingError) == .cancelled, "\(error)")
        }
    }

    func testRun_GenerationTask_AdapterGoldIsThePositive() async throws {
        let root = try temporaryDirectory()
        let dataset = try demoDataset(task: .newsHeadline, in: root)
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = smallConfig(.newsHeadline)
        config.methods = [.rag, .hydra, .hydraBase]
        let engine = try pipeline(dataset, config: config, llm: FakeTagLLM(), store: store)
        let (train, eval) = try engine.users()
        let labelled = try await engine.labelForInspection(engine.trainingCases(train: train, eval: eval)[0])
        let examples = labelled.adapterExamples(.gold, n: config.sampling.n)
        XCTAssertEqual(examples.last?.label, 1)
        XCTAssertEqual(examples.last?.candidate.text, labelled.query.gold)
        XCTAssertEqual(examples.dropLast().map(\.label), Array(repeating: 0, count: examples.count - 1))
        let results = try await engine.run()
        XCTAssertEqual(Set(results.methods.keys), ["rag", "hydra", "hydra-base"])
        XCTAssertNotNil(results.methods["hydra"]?["rouge-1"])
    }
}

/// Collects engine events from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [EngineEvent] = []

    func append(_ event: EngineEvent) { lock.withLock { events.append(event) } }

    var stagesFinished: [HydraStage] {
        lock.withLock { events.compactMap { if case .stageFinished(let s, _) = $0 { return s } else { return nil } } }
    }

    var notes: [String] {
        lock.withLock { events.compactMap { if case .note(let n) = $0 { return n } else { return nil } } }
    }
}

final class EngineAPITests: XCTestCase {
    func testStart_StreamsStagesAndSavedModelsGiveEveryUserAHead() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-api-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try DemoGenerator(spec: DemoSpec(task: .productRating, users: 6, seed: 2, profileSize: 15...20, questionsPerUser: 1))
            .write(to: root.appendingPathComponent("data"))
        let dataset = try LaMPDataset.load(directory: root.appendingPathComponent("data"))
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = HydraConfig(task: .productRating)
        config.retrieval.k = 3
        config.sampling.n = 5
        config.training.baseWidths = [8]
        config.training.joint.epochs = 2
        config.training.fit.epochs = 2
        let engine = HydraPipeline(
            dataset: dataset, config: config, client: try CachedLLMClient(wrapping: FakeTagLLM(), database: store.database),
            encoder: HashingEncoder(), embeddings: EmbeddingCache(store: store), store: store, tokenCounter: WhitespaceTokenCounter())
        let handle = engine.start()
        var stages: [HydraStage] = []
        for await event in handle.events { if case .stageFinished(let s, _) = event { stages.append(s) } }
        let results = try await handle.result.value
        XCTAssertEqual(stages, HydraStage.allCases)
        XCTAssertNotNil(results.methods["hydra"]?["mae"])
        let models = try engine.savedModels()
        let users = try engine.userSummaries(models: models, results: results)
        XCTAssertEqual(users.count, 6)
        XCTAssertTrue(users.allSatisfy(\.hasHead))
        XCTAssertEqual(users.filter { $0.role == .eval }.compactMap(\.delta).count, 2)
        let heads = HeadInspector.summaries(try XCTUnwrap(models.adapter))
        XCTAssertEqual(heads.count, 6)
        XCTAssertTrue(heads.allSatisfy { $0.denseNorm > 0 && $0.distanceToMean >= 0 })
    }
}
