import DemoData
import Encoder
import EngineBackend
import Foundation
import LaMP
import LLMTestSupport
import WorkbenchAPI
import Workspace
import XCTest

/// A small LaMP_2 demo session (9 users) over the fake LLM and the hashing encoder, in a
/// temporary folder: what the backend's job tests run on.
final class SmallDemoSession: @unchecked Sendable {
    let root: URL
    let name: String
    let llm = FakeTagLLM()
    let k = 4, r = 2

    init(name: String) throws {
        self.name = name
        root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    var session: SessionConfig {
        SessionConfig(
            name: name, data: .path(root.appendingPathComponent("data").path), task: .movieTag,
            retrieval: .init(k: k, r: r), encoder: "hashing", hydra: .init(n: 4, seed: 1))
    }

    var overrides: RunOverrides {
        var overrides = RunOverrides()
        overrides.baseWidths = [16]
        overrides.pseudoQueries = 3
        overrides.adapterPseudoQueries = 2
        overrides.promptTokens = 512
        return overrides
    }

    var environment: RunEnvironment {
        let llm = self.llm
        return RunEnvironment(
            cacheRoot: root.appendingPathComponent("cache"), demoRoot: root.appendingPathComponent("demo"),
            makeLLM: { _ in (llm, WhitespaceTokenCounter()) }, makeEncoder: { _ in HashingEncoder() })
    }

    /// LLM calls the fake LLM has answered.
    var llmCalls: Int { llm.calls.generate + llm.calls.choose }

    func backend() throws -> EngineWorkbenchBackend {
        let data = root.appendingPathComponent("data")
        if !FileManager.default.fileExists(atPath: data.path) {
            _ = try DemoGenerator(spec: DemoSpec(task: .movieTag, users: 9, seed: 3, profileSize: 20...30, questionsPerUser: 2))
                .write(to: data)
        }
        return EngineWorkbenchBackend(source: .session(session, file: nil), overrides: overrides, environment: environment)
    }

    func result(_ backend: EngineWorkbenchBackend, _ job: Job) async throws -> JobResult? {
        let log = JobLog()
        try await backend.run(job) { log.append($0) }
        return log.result
    }

    /// Runs the session and returns the backend, its snapshot and the run's report.
    func ranSession() async throws -> (EngineWorkbenchBackend, SessionSnapshot, RunReport) {
        let backend = try backend()
        guard case .session(let snapshot)? = try await result(backend, .loadSession) else { throw Missing(what: "the session snapshot") }
        guard case .run(let report, _)? = try await result(backend, .runPipeline) else { throw Missing(what: "the run's report") }
        return (backend, snapshot, report)
    }
}

/// A job ended without the result a test needs.
struct Missing: Error, CustomStringConvertible {
    var what: String
    var description: String { "the job gave no \(what)" }
}
