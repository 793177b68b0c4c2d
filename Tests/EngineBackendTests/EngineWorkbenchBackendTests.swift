import DemoData
import Encoder
import EngineBackend
import Foundation
import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import SessionStore
import WorkbenchAPI
import Workspace
import XCTest

/// Everything a job emitted, from any thread.
final class JobLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [JobEvent] = []

    func append(_ event: JobEvent) { lock.withLock { events.append(event) } }
    var all: [JobEvent] { lock.withLock { events } }

    var stages: [StageUpdate] { all.compactMap { if case .stage(let s) = $0 { s } else { nil } } }
    var lossBatches: [[LossPoint]] { all.compactMap { if case .loss(let l) = $0 { l } else { nil } } }
    var result: JobResult? { all.last.flatMap { if case .result(let r) = $0 { r } else { nil } } }
}

final class EngineWorkbenchBackendTests: XCTestCase {
    /// Counts the LLMs the backend asks for.
    final class Factory: @unchecked Sendable {
        private let lock = NSLock()
        private var made = 0
        let llm = FakeTagLLM()
        var llmsMade: Int { lock.withLock { made } }
        func madeOne() { lock.withLock { made += 1 } }
    }

    /// An LLM server that can go down: every call fails while `down` is set.
    final class FlakyLLM: LLMClient, @unchecked Sendable {
        struct ServerDown: Error, CustomStringConvertible {
            var description: String { "LLM server at http://127.0.0.1:9/v1: connection refused" }
        }
        let inner: FakeTagLLM
        private let lock = NSLock()
        private var failAfter: Int?
        private var served = 0
        init(inner: FakeTagLLM) { self.inner = inner }
        var backendID: String { inner.backendID }
        var modelID: String { inner.modelID }
        /// Goes down after `calls` more calls (nil: up).
        func goDown(after calls: Int?) { lock.withLock { failAfter = calls.map { served + $0 } } }
        private func admit() throws {
            try lock.withLock {
                if let failAfter, served >= failAfter { throw ServerDown() }
                served += 1
            }
        }
        func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
            try admit()
            return try await inner.generate(prompt, parameters: parameters, n: n)
        }
        func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
            try admit()
            return try await inner.choose(prompt, options: options)
        }
    }

    private var root: URL!
    private var factory: Factory!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engine-backend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        factory = Factory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    /// A LaMP_2 demo session (6 training, 3 evaluation users) over a fake LLM and the hashing
    /// encoder, with small settings so a run takes seconds.
    private func backend(llm: (any LLMClient)? = nil) throws -> EngineWorkbenchBackend {
        let data = root.appendingPathComponent("data")
        if !FileManager.default.fileExists(atPath: data.path) {
            _ = try DemoGenerator(spec: DemoSpec(task: .movieTag, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2))
                .write(to: data)
        }
        let session = SessionConfig(
            name: "backend-test", data: .path(data.path), task: .movieTag, retrieval: .init(k: 4, r: 2), encoder: "hashing",
            hydra: .init(n: 4, seed: 1))
        var overrides = RunOverrides()
        overrides.baseWidths = [16]
        overrides.pseudoQueries = 3
        overrides.adapterPseudoQueries = 2
        overrides.promptTokens = 512
        let factory = self.factory!
        let environment = RunEnvironment(
            cacheRoot: root.appendingPathComponent("cache"), demoRoot: root.appendingPathComponent("demo"),
            makeLLM: { _ in
                factory.madeOne()
                return (llm ?? factory.llm, WhitespaceTokenCounter())
            },
            makeEncoder: { _ in HashingEncoder() })
        return EngineWorkbenchBackend(source: .session(session, file: nil), overrides: overrides, environment: environment)
    }

    private var storeDirectory: URL { root.appendingPathComponent("cache/sessions/backend-test") }

    private func run(_ backend: EngineWorkbenchBackend, _ job: Job) async throws -> JobLog {
        let log = JobLog()
        try await backend.run(job) { log.append($0) }
        return log
    }

    private func snapshot(_ log: JobLog) throws -> SessionSnapshot {
        struct NoSessionResult: Error {}
        guard case .session(let snapshot)? = log.result else { throw NoSessionResult() }
        return snapshot
    }

    func testLoadSession_UsersContentAndTask_WithoutAnyLLM() async throws {
        let log = try await run(try backend(), .loadSession)
        let snapshot = try snapshot(log)
        XCTAssertTrue(log.all.contains { if case .progress = $0 { true } else { false } })
        XCTAssertEqual(snapshot.title, "backend-test")
        XCTAssertEqual(snapshot.retriever, "BM25")
        XCTAssertEqual(snapshot.task.name, "LaMP_2")
        XCTAssertEqual(snapshot.task.primaryMetric, "accuracy")
        XCTAssertTrue(snapshot.task.higherIsBetter)
        XCTAssertEqual(snapshot.task.answerField, "tag")
        XCTAssertEqual(snapshot.users.filter { $0.role == .train }.count, 6)
        XCTAssertEqual(snapshot.users.filter { $0.role == .eval }.count, 3)
        XCTAssertEqual(snapshot.users.map(\.role), snapshot.users.map(\.role).sorted { $0 == .train && $1 == .eval })
        for user in snapshot.users {
            XCTAssertFalse(user.hasHeads)
            XCTAssertFalse(user.profile.isEmpty)
            for question in user.questions {
                XCTAssertNotNil(question.gold)
                XCTAssertFalse(question.content.isEmpty)
                XCTAssertLessThan(question.content.count, question.input.count, "the template is stripped")
                XCTAssertTrue(question.input.contains(question.content))
                XCTAssertFalse(question.content.hasPrefix("Which tag"))
            }
        }
        XCTAssertNil(snapshot.savedRun)
        XCTAssertTrue(snapshot.savedLosses.isEmpty)
        XCTAssertEqual(factory.llmsMade, 0, "loading a session loads no LLM")
        XCTAssertFalse(FileManager.default.fileExists(atPath: storeDirectory.path), "looking creates no store")
    }

    func testRetrieve_BM25TopKByItemID() async throws {
        let backend = try backend()
        let snapshot = try snapshot(try await run(backend, .loadSession))
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        let question = try XCTUnwrap(user.questions.first)
        let log = try await run(backend, .retrieve(userID: user.id, questionID: question.id, k: 3))
        guard case .retrieved(let hits)? = log.result else { return XCTFail("\(log.all)") }
        XCTAssertEqual(hits.map(\.rank), [1, 2, 3])
        XCTAssertEqual(hits.map(\.score), hits.map(\.score).sorted(by: >))
        let ids = Set(user.profile.map(\.id))
        XCTAssertTrue(hits.allSatisfy { ids.contains($0.itemID) })
        XCTAssertEqual(Set(hits.map(\.itemID)).count, 3)
        XCTAssertFalse(hits[0].matchedTerms.isEmpty)

        // by ids, the same as BM25 over the user's corpus texts with LaMP's query
        let items = user.profile.map { ProfileItem(id: $0.id, fields: $0.fields) }
        let expected = BM25Reference.top(items: items, input: question.input, task: .movieTag, k: 3)
        XCTAssertEqual(hits.map(\.itemID), expected)

        do {
            _ = try await run(backend, .retrieve(userID: user.id, questionID: "no-such-question", k: 3))
            XCTFail("an unknown question must be an error")
        } catch let error as HydraEngineError {
            guard case .invalidSetting(let name, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "question")
        }
    }

    func testRunPipeline_StagesLossesReportThenASavedRunOnReload() async throws {
        let log = try await run(try backend(), .runPipeline)
        // stages start in order, each finishing before the next starts
        var order: [RunStage] = []
        for update in log.stages where order.last != update.stage { order.append(update.stage) }
        XCTAssertEqual(order, RunStage.allCases)
        let finished = log.stages.filter { if case .done = $0.state { true } else { false } }
        XCTAssertEqual(finished.map(\.stage), RunStage.allCases)
        XCTAssertTrue(log.stages.contains { $0.stage == .labels && $0.tokensPerSecond != nil })
        // training steps come batched
        let batches = log.lossBatches
        XCTAssertFalse(batches.isEmpty)
        XCTAssertTrue(batches.allSatisfy { !$0.isEmpty && $0.count <= 64 })
        let points = batches.flatMap { $0 }
        XCTAssertLessThan(batches.count, points.count, "not one event per step")
        XCTAssertTrue(points.contains { $0.series == LossSeriesID(model: "reranker", userID: nil) })

        guard case .run(let report, let users)? = log.result else { return XCTFail("no run result") }
        // extractive is a generation-task baseline; this is LaMP_2
        let methods = HydraMethod.allCases.filter { $0.applies(to: .movieTag) }.map(\.rawValue)
        XCTAssertEqual(report.methodOrder, methods)
        XCTAssertEqual(Set(report.methods.keys), Set(methods))
        XCTAssertEqual(report.primaryMetric, "accuracy")
        XCTAssertEqual(
            report.comparisons.map { "\($0.method)/\($0.baseline)" },
            ["hydra/rag", "hydra/hydra-base", "hydra/zero-shot", "hydra-gated/hydra-base"])
        for comparison in report.comparisons {
            XCTAssertEqual(comparison.questions, 6)
            XCTAssertEqual(comparison.better + comparison.worse + comparison.ties, 6)
            XCTAssertTrue((0...1).contains(comparison.pValue))
        }
        XCTAssertNotNil(report.timings["labels"])
        let evalUsers = users.filter { $0.role == .eval }
        XCTAssertEqual(evalUsers.count, 3)
        XCTAssertTrue(evalUsers.allSatisfy(\.hasHeads))
        XCTAssertEqual(Set(report.userDeltas.keys), Set(evalUsers.map(\.id)))

        // a later look at the session, by a new backend, shows the run without running anything
        let calls = factory.llm.calls
        let reloaded = try snapshot(try await run(try backend(), .loadSession))
        XCTAssertEqual(factory.llm.calls.choose, calls.choose)
        let saved = try XCTUnwrap(reloaded.savedRun)
        XCTAssertEqual(saved.methodOrder, report.methodOrder)
        XCTAssertEqual(saved.comparisons, report.comparisons)
        XCTAssertEqual(saved.methods, report.methods)
        XCTAssertTrue(reloaded.users.filter { $0.role == .eval }.allSatisfy(\.hasHeads))
        let series = Set(reloaded.savedLosses.map(\.id))
        XCTAssertTrue(series.contains(LossSeriesID(model: "reranker", userID: nil)))
        XCTAssertTrue(series.contains(LossSeriesID(model: "adapter", userID: nil)))
        for user in evalUsers { XCTAssertTrue(series.contains(LossSeriesID(model: "adapter", userID: user.id)), user.id) }
    }

    func testRunPipeline_CancelledEndsWithCancellationError_ThenAReRunResumes() async throws {
        let backend = try backend()
        let labelsStarted = expectation(description: "labels started")
        labelsStarted.assertForOverFulfill = false
        let task = Task {
            try await backend.run(.runPipeline) { event in
                if case .stage(let update) = event, update.stage == .labels { labelsStarted.fulfill() }
            }
        }
        await fulfillment(of: [labelsStarted], timeout: 60)
        task.cancel()
        do {
            try await task.value
            XCTFail("a cancelled run must not finish")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        let log = try await run(backend, .runPipeline)
        guard case .run(let report, _)? = log.result else { return XCTFail("the re-run did not finish") }
        XCTAssertFalse(report.methods.isEmpty)
    }

    func testLLMServerDownMidRun_FailsWithItsError_ThenARunResumesWithoutRedoingCalls() async throws {
        let flaky = FlakyLLM(inner: factory.llm)
        let backend = try backend(llm: flaky)
        flaky.goDown(after: 30)
        do {
            _ = try await run(backend, .runPipeline)
            XCTFail("the run must fail while the server is down")
        } catch {
            XCTAssertTrue("\(error)".contains("connection refused"), "\(error)")
            XCTAssertFalse(error is CancellationError)
        }
        let before = factory.llm.calls
        XCTAssertEqual(before.generate + before.choose, 30, "the calls made before the server went down")
        flaky.goDown(after: nil)
        let log = try await run(backend, .runPipeline)
        guard case .run(let report, _)? = log.result else { return XCTFail("the resumed run did not finish") }
        XCTAssertFalse(report.methods.isEmpty)
        // a fresh run from nothing, for the count of calls a whole run makes
        let fresh = FakeTagLLM()
        try? FileManager.default.removeItem(at: storeDirectory)
        let freshBackend = try self.backend(llm: fresh)
        _ = try await run(freshBackend, .runPipeline)
        let after = factory.llm.calls
        XCTAssertEqual(
            after.generate + after.choose, fresh.calls.generate + fresh.calls.choose,
            "the resumed run asks only for what the failed one had not (the 30 are cached)")
    }

    /// Another writer on the same session store (a `hydra run` in another terminal, say) while the
    /// workbench runs: SQLite's WAL serialises the writes, the run finishes and its results load.
    func testRunWhileAnotherConnectionWritesTheStore_FinishesAndReloads() async throws {
        let backend = try backend()
        let other = try SessionStore(directory: storeDirectory)
        let writer = Task.detached {
            var i = 0
            while !Task.isCancelled, i < 100_000 {
                try other.setValue("\(i)", forKey: "other-writer")
                i += 1
                try? await Task.sleep(nanoseconds: 1_000_000)
            }
            return i
        }
        let log = try await run(backend, .runPipeline)
        writer.cancel()
        let writes = try await writer.value
        XCTAssertGreaterThan(writes, 10, "the other connection kept writing during the run")
        guard case .run? = log.result else { return XCTFail("the run did not finish") }
        let reloaded = try snapshot(try await run(backend, .loadSession))
        XCTAssertNotNil(reloaded.savedRun)
    }
}
