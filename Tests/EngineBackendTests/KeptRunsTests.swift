import DemoData
import Encoder
import EngineBackend
import Foundation
import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import SessionStore
import Workspace
import XCTest

/// A session store keeps one run per settings: a re-run with other settings is kept beside the
/// earlier run (weights and results), the newest is what is read unless a run is named, and a
/// re-run with the same settings replaces only its own run.
final class KeptRunsTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kept-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// A small LaMP_2 run (6 training, 3 evaluation users) over a fake LLM and the hashing encoder.
    private func run(seed: UInt64) async throws -> (setup: RunSetup, results: HydraResults) {
        let data = root.appendingPathComponent("data")
        if !FileManager.default.fileExists(atPath: data.path) {
            _ = try DemoGenerator(spec: DemoSpec(task: .movieTag, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2))
                .write(to: data)
        }
        let session = SessionConfig(
            name: "kept-runs", data: .path(data.path), task: .movieTag, retrieval: .init(k: 4, r: 2), encoder: "hashing",
            hydra: .init(n: 4, seed: 1))
        var overrides = RunOverrides()
        overrides.baseWidths = [16]
        overrides.pseudoQueries = 3
        overrides.adapterPseudoQueries = 2
        overrides.promptTokens = 512
        overrides.seed = seed
        let environment = RunEnvironment(
            cacheRoot: root.appendingPathComponent("cache"), demoRoot: root.appendingPathComponent("demo"),
            makeLLM: { _ in (FakeTagLLM(), WhitespaceTokenCounter()) },
            makeEncoder: { _ in HashingEncoder() })
        let source = RunSource.session(session, file: nil)
        let loaded = try LoadedData.load(source, task: nil, demoRoot: environment.demoRoot, progress: { _, _ in }, log: { _ in })
        let setup = try RunSetup.make(source: source, data: loaded, overrides: overrides, environment: environment)
        return (setup, try await setup.run())
    }

    func testRunsWithOtherSettings_AreKeptBesideEachOther() async throws {
        let first = try await run(seed: 1)
        let second = try await run(seed: 2)
        let store = second.setup.store
        let runs = try store.runs()
        XCTAssertEqual(runs.count, 2)
        let (newest, earlier) = (runs[0], runs[1])
        XCTAssertEqual(newest.id, StoredRun.key(settings: try second.setup.settings.json()))
        XCTAssertEqual(earlier.id, StoredRun.key(settings: try first.setup.settings.json()))
        XCTAssertEqual(RunSettings.decode(storedJSON: earlier.settings)?.config.sampling.seed, 1)
        XCTAssertTrue(RunSettings.decode(storedJSON: newest.settings)?.summary.contains("seed=2") ?? false)

        // each run's weights are its own and all still on disk
        XCTAssertEqual(Set(newest.weights.keys), ["reranker-joint", "reranker-fit", "adapter-joint", "adapter-fit"])
        for slot in newest.weights.keys {
            XCTAssertNotEqual(newest.weights[slot], earlier.weights[slot], slot)
            XCTAssertNotNil(try store.loadWeights(name: try XCTUnwrap(earlier.weights[slot])), slot)
        }
        // the newest is read by default, the earlier one when named (by a prefix, as listed)
        let earlierModels = try HydraPipeline.savedModels(in: store, run: earlier)
        let newestModels = try HydraPipeline.savedModels(in: store)
        XCTAssertNotEqual(
            earlierModels.reranker?.globalHead.dense.weight.value.data, newestModels.reranker?.globalHead.dense.weight.value.data)
        let earlierResults = try XCTUnwrap(try SavedResults.load(from: store, run: String(earlier.id.prefix(8))))
        XCTAssertEqual(earlierResults.methods, first.results.methods)
        XCTAssertEqual(try SavedResults.load(from: store)?.methods, second.results.methods)
        XCTAssertThrowsError(try SavedResults.load(from: store, run: "nope")) { error in
            XCTAssertTrue("\(error)".contains(earlier.id), "\(error)")
        }

        // the same settings again replace their own run only, reusing its weights
        _ = try await run(seed: 1)
        let again = try store.runs()
        XCTAssertEqual(again.map(\.id), [earlier.id, newest.id])
        XCTAssertEqual(again[0].weights, earlier.weights)
    }

    func testRunList_NamesWhatSetsEachRunApart() {
        var a = HydraConfig(task: .movieTag)
        a.training.baseWidths = [64, 32]
        var b = a
        b.training.baseWidths = [32]
        b.sampling.seed = 4
        let lines = RunSettings.distinguishingLines([
            RunSettings(config: a, encoder: "hashing", llm: "embedded:m"), RunSettings(config: b, encoder: "hashing", llm: "embedded:m"),
            nil,
        ])
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("LaMP_2 k=10 r=2 "), lines[0])
        XCTAssertTrue(lines[0].contains("seed=0") && lines[0].hasSuffix("training.baseWidths=[64,32]"), lines[0])
        XCTAssertTrue(lines[1].contains("seed=4") && lines[1].hasSuffix("training.baseWidths=[32]"), lines[1])
        XCTAssertEqual(lines[2], "(settings unreadable)")
        // runtime settings never split runs
        var c = a
        c.runtime.concurrentLLMCalls = 7
        XCTAssertEqual(RunSettings(config: a, encoder: "e", llm: "l"), RunSettings(config: c, encoder: "e", llm: "l"))
    }
}
