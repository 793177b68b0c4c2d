import DemoData
import Encoder
import Foundation
import GenerationCache
import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import Numerics
import SessionStore
import XCTest

/// Issue 16: the answer normaliser between the LLM and every method, the greedy answer in the
/// pool, oracle@N, held-out selection, the gate, the extractive baseline.
final class QualityTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-quality-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A LaMP_4 demo set (6 training, 3 evaluation users) and every article's headline.
    private func headlines(in root: URL) throws -> (LaMPDataset, [String: String]) {
        let spec = DemoSpec(task: .newsHeadline, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2)
        let directory = root.appendingPathComponent("data")
        let demo = try DemoGenerator(spec: spec)
        _ = try demo.write(to: directory)
        let dataset = try LaMPDataset.load(directory: directory)
        var answers: [String: String] = [:]
        let made = demo.makeDataset()
        for (question, gold) in zip(made.trainQuestions + made.devQuestions, made.trainGolds + made.devGolds) {
            answers[LaMPRetrievalText.query(task: .newsHeadline, input: question.input)] = gold.output
            for item in question.profile { answers[item["text"]] = item["title"] }
        }
        return (dataset, answers)
    }

    private func config() -> HydraConfig {
        var config = HydraConfig(task: .newsHeadline)
        config.retrieval.k = 4
        config.labelling.labelK = nil
        config.sampling.n = 4
        config.labelling.pseudoQueriesPerTrainUser = 2
        config.labelling.pseudoQueriesPerEvalUser = 3
        config.labelling.adapterPseudoQueriesPerEvalUser = 4
        config.retrieval.promptTokens = 512
        config.training.baseWidths = [16]
        config.training.joint.epochs = 20
        config.training.fit.epochs = 10
        config.selection.minimumQuestions = 2
        return config
    }

    private func run(_ config: HydraConfig, llm: any LLMClient, root: URL, dataset: LaMPDataset) async throws -> HydraResults {
        let store = try SessionStore(directory: root.appendingPathComponent("session-\(UUID().uuidString)"))
        let engine = HydraPipeline(
            dataset: dataset, config: config, client: try CachedLLMClient(wrapping: llm, database: store.database),
            encoder: HashingEncoder(), embeddings: EmbeddingCache(store: store), store: store,
            tokenCounter: WhitespaceTokenCounter())
        return try await engine.run()
    }

    func testGreedyRightSamplesNoise_HydraNotBelowTheGreedyMethod() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        let results = try await run(config(), llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        let greedy = try XCTUnwrap(results.methods["hydra-reranker"]?["rouge-1"])
        XCTAssertEqual(greedy, 1, accuracy: 1e-9, "the fake's greedy answer is the gold")
        for method in ["hydra", "hydra-adapter", "hydra-base", "hydra-gated"] {
            let score = try XCTUnwrap(results.methods[method]?["rouge-1"], method)
            XCTAssertGreaterThanOrEqual(score, greedy - 1e-9, "\(method) fell below the greedy answer")
        }
        // the greedy answer is in every pool
        for trace in results.traces {
            XCTAssertTrue(trace.candidates.contains { $0.candidate.isGreedy == true && $0.candidate.text == trace.gold }, trace.questionID)
        }
    }

    func testOracleAtNIsAtLeastEveryMethodOnTheSamePool() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        // greedy answers wrapped in framing that leaves part of the gold: the pools differ from the gold in varied ways
        let llm = GreedyRightLLM(answers: answers) { "The headline for the article is: " + $0.split(separator: " ").prefix(3).joined(separator: " ") }
        var config = config()
        config.sampling.normalizeAnswers = false
        let results = try await run(config, llm: llm, root: root, dataset: dataset)
        XCTAssertEqual(Set(results.oracle.keys), ["hydra-adapter", "hydra", "hydra-base", "hydra-gated"])
        for (method, oracle) in results.oracle {
            for (metric, value) in oracle where metric == results.primaryMetric {
                let score = try XCTUnwrap(results.methods[method]?[metric])
                XCTAssertGreaterThanOrEqual(value, score - 1e-12, "\(method) \(metric)")
            }
        }
        XCTAssertTrue(ResultsReport.markdown(results).contains("oracle@N"))
    }

    func testNormaliserAppliesToEveryMethodAndKeepsTheRawText() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        let framed = GreedyRightLLM(answers: answers) { "Sure! Here's a headline:\n\nThe title for the article is: \"\($0)\"" }
        var config = config()
        config.methods = [.zeroShot, .rag, .hydraReranker]
        let results = try await run(config, llm: framed, root: root, dataset: dataset)
        for method in ["zero-shot", "rag", "hydra-reranker"] {
            XCTAssertEqual(try XCTUnwrap(results.methods[method]?["rouge-1"]), 1, accuracy: 1e-9, method)
        }
        let trace = try XCTUnwrap(results.traces.first)
        XCTAssertEqual(trace.rawPredictions?["rag"], "Sure! Here's a headline:\n\nThe title for the article is: \"\(trace.gold)\"")

        config.sampling.normalizeAnswers = false
        let raw = try await run(config, llm: framed, root: root, dataset: dataset)
        XCTAssertLessThan(try XCTUnwrap(raw.methods["rag"]?["rouge-1"]), 0.9)
    }

    func testEmptyAfterCleaningIsScoredEmptyCountedAndKeptRaw() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.methods = [.rag, .extractive]
        let results = try await run(
            config, llm: GreedyRightLLM(answers: answers) { _ in "Sure! Here is a headline for the article:" }, root: root, dataset: dataset)
        let questions = results.traces.count
        XCTAssertEqual(results.emptyAnswers["rag"], questions)
        XCTAssertEqual(results.emptyAnswers["extractive"], 0)
        XCTAssertEqual(results.methods["rag"]?["rouge-1"], 0)
        XCTAssertTrue(results.traces.allSatisfy { $0.predictions["rag"] == "" && $0.rawPredictions?["rag"] == "Sure! Here is a headline for the article:" })
        XCTAssertTrue(results.notes.contains { $0.hasPrefix("rag: \(questions) answers empty after cleaning") }, "\(results.notes)")
    }

    func testExtractiveIsTheFirstTenWordsAndOnlyForGeneration() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.methods = [.extractive]
        let results = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        for trace in results.traces {
            let question = try XCTUnwrap(dataset[.dev]?.questions.first { $0.id == trace.questionID })
            let words = LaMPRetrievalText.query(task: .newsHeadline, input: question.input).split(separator: " ").prefix(10)
            XCTAssertEqual(trace.predictions["extractive"], words.joined(separator: " "))
        }
        XCTAssertTrue(HydraMethod.extractive.applies(to: .newsHeadline))
        XCTAssertFalse(HydraMethod.extractive.applies(to: .movieTag))
        XCTAssertFalse(HydraMethod.extractive.applies(to: .productRating))
    }

    func testGateNeverMakesAUserWorseThanGlobalOnItsOwnData() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let count = 1 + Int(rng.uniform() * 8)
            let personal = (0..<count).map { _ in rng.uniform() < 0.3 ? 0 : rng.uniform() }
            let global = (0..<count).map { _ in rng.uniform() < 0.3 ? 0 : rng.uniform() }
            let decision = GateDecision.decide(personal: personal, global: global)
            let chosen = decision.usesPersonal ? personal : global
            XCTAssertGreaterThanOrEqual(chosen.reduce(0, +), global.reduce(0, +) - 1e-12)
            XCTAssertEqual(decision.cases, count)
        }
        let none = GateDecision.decide(personal: [], global: [])
        XCTAssertFalse(none.usesPersonal)
        XCTAssertTrue(none.reason.contains("no held-out pseudo-queries"))
    }

    func testGateWithoutPseudoQueriesFallsBackToGlobalAndSaysSo() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.labelling.pseudoQueriesPerEvalUser = 0
        config.labelling.adapterPseudoQueriesPerEvalUser = 0
        config.methods = [.hydraBase, .hydraGated]
        let results = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        XCTAssertEqual(results.gate.count, 3)
        XCTAssertTrue(results.gate.values.allSatisfy { !$0.usesPersonal && $0.cases == 0 })
        XCTAssertTrue(results.gate.values.allSatisfy { $0.reranker?.usesPersonal == false && $0.reranker?.cases == 0 })
        XCTAssertEqual(results.methods["hydra-gated"], results.methods["hydra-base"])
        XCTAssertEqual(results.notes.filter { $0.hasPrefix("hydra-gated: user") }.count, 6, "adapter and reranker: \(results.notes)")
    }

    func testGateDecidesTheRerankerHeadToo_OnItsHeldOutPseudoQueries() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.methods = [.hydraBase, .hydraGated]
        let results = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        XCTAssertEqual(results.gate.count, 3)
        for (user, decision) in results.gate {
            let reranker = try XCTUnwrap(decision.reranker, user)
            XCTAssertEqual(reranker.cases, 1, "one of the user's 3 reranker pseudo-queries is held out")
            let personal = try XCTUnwrap(reranker.personalScore), global = try XCTUnwrap(reranker.globalScore)
            XCTAssertEqual(reranker.usesPersonal, personal >= global, user)
            XCTAssertEqual(decision.cases, 1, "a quarter of the user's 7 pseudo-queries for the adapter")
        }
    }

    func testSelectionRecordsItsGridOrFallsBackToTheDefaultsAndSaysSo() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.methods = [.hydra]
        let selected = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        let report = try XCTUnwrap(selected.selection)
        XCTAssertNil(report.fallback)
        XCTAssertEqual(report.trials.count, AdapterLabels.allCases.count * 2 * 2)
        let best = try XCTUnwrap(report.trials.map(\.score).max())
        XCTAssertTrue(report.trials.contains { $0.labels == report.labels && $0.epochs == report.epochs && $0.score == best })
        XCTAssertNil(selected.headInfluence, "without hydra-base there are no answers to compare")
        XCTAssertFalse(selected.notes.contains { $0.hasPrefix("personal heads against the global heads") })

        config.selection.minimumQuestions = 100
        let fallback = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        XCTAssertEqual(fallback.selection?.labels, HydraConfig.LabellingConfig.defaultAdapterLabels)
        XCTAssertTrue(fallback.selection?.fallback?.contains("fewer than 100") == true)
        XCTAssertTrue(fallback.notes.contains { $0.contains("the defaults were used") })
    }

    func testFitChoice_KeepsTheGentlestUnlessAStrongerFitIsSignificantlyBetter() {
        // ties and a better mean that one case makes: the gentlest
        XCTAssertEqual(HydraPipeline.chooseFit([[0.5, 0.5], [0.5, 0.5]], significance: 0.1).index, 0)
        let lucky = HydraPipeline.chooseFit([[0, 0, 0, 0], [1, 0, 0, 0]], significance: 0.1)
        XCTAssertEqual(lucky.index, 0)
        XCTAssertEqual(try XCTUnwrap(lucky.pValue), 1, accuracy: 1e-12)
        // better on every one of 8 cases: p = 2 / 256
        let clear = HydraPipeline.chooseFit([Array(repeating: 0, count: 8), Array(repeating: 0.2, count: 8), Array(repeating: 0.1, count: 8)], significance: 0.1)
        XCTAssertEqual(clear.index, 1)
        XCTAssertEqual(try XCTUnwrap(clear.pValue), 2.0 / 256, accuracy: 1e-12)
        // whatever the scores, the choice never has a lower held-out mean than the gentlest
        var rng = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let cases = 1 + Int(rng.uniform() * 10)
            let scores = (0..<4).map { _ in (0..<cases).map { _ in rng.uniform() < 0.5 ? 0 : rng.uniform() } }
            let chosen = HydraPipeline.chooseFit(scores, significance: 0.2)
            XCTAssertGreaterThanOrEqual(scores[chosen.index].reduce(0, +), scores[0].reduce(0, +) - 1e-12)
        }
    }

    func testFitSelectionRecordsItsGrid_UsesItsChoice_OrSaysWhyNot() async throws {
        let root = try temporaryDirectory()
        let (dataset, answers) = try headlines(in: root)
        var config = config()
        config.methods = [.hydra]
        config.selection.fitEpochs = [2, 10]
        config.selection.fitLearningRates = [1e-3, 3e-2]
        let selected = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        let report = try XCTUnwrap(selected.fitSelection)
        XCTAssertNil(report.fallback)
        XCTAssertEqual(report.trials.count, 4)
        XCTAssertEqual(report.trials.map(\.epochs), [2, 10, 2, 10], "gentlest first: 2e-3, 1e-2, 6e-2, 3e-1")
        XCTAssertEqual(report.rerankerCases, 3, "one of each evaluation user's 3 reranker pseudo-queries")
        XCTAssertEqual(report.adapterCases, 3, "a quarter of each evaluation user's 7 pseudo-queries")
        XCTAssertTrue(report.trials.allSatisfy { $0.rerankerScore != nil && $0.adapterScore != nil })
        for (chosen, p) in [(report.reranker, report.rerankerPValue), (report.adapter, report.adapterPValue)] {
            let gentlest = FitSetting(epochs: 2, learningRate: 1e-3)
            if chosen != gentlest { XCTAssertLessThanOrEqual(try XCTUnwrap(p), config.selection.fitSignificance) }
        }
        XCTAssertTrue(selected.notes.contains { $0.hasPrefix("fit selection: reranker heads") }, "\(selected.notes)")

        config.selection.fitEpochs = [7]
        config.selection.fitLearningRates = [2e-3]
        let fixed = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        XCTAssertEqual(fixed.fitSelection?.trials, [])
        XCTAssertEqual(fixed.fitSelection?.reranker, FitSetting(epochs: 7, learningRate: 2e-3))
        XCTAssertEqual(fixed.fitSelection?.adapter, FitSetting(epochs: 7, learningRate: 2e-3))

        config.selection.enabled = false
        let off = try await run(config, llm: GreedyRightLLM(answers: answers), root: root, dataset: dataset)
        XCTAssertEqual(off.fitSelection?.reranker, FitSetting(epochs: config.training.fit.epochs, learningRate: config.training.fit.learningRate))
        XCTAssertTrue(off.fitSelection?.fallback?.hasPrefix("selection off") == true)
    }
}
