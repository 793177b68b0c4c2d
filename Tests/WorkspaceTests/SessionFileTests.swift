import Foundation
import DemoData
import LaMP
import TestSupport
import XCTest
@testable import Workspace

final class SessionFileTests: XCTestCase {
    private func load(_ json: String) throws -> SessionConfig {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try SessionFile.load(url)
    }

    private func assertError(_ json: String, contains fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(json), file: file, line: line) { error in
            let message = String(describing: error)
            for fragment in fragments {
                XCTAssertTrue(message.contains(fragment), "“\(message)” lacks “\(fragment)”", file: file, line: line)
            }
        }
    }

    func testCheckedInSessions_AllLoad() throws {
        let folder = ReferenceData.projectRoot.appendingPathComponent("Sessions")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for name in names {
            XCTAssertNoThrow(try SessionFile.load(folder.appendingPathComponent(name)), name)
        }
        let movies = try SessionFile.load(folder.appendingPathComponent("demo-movies.json"))
        XCTAssertEqual(movies.data, .demo(DemoSpec(task: .movieTag, users: 36, seed: 7)))
        XCTAssertEqual(movies, DefaultSession.config, "the built-in default must equal Sessions/\(DefaultSession.fileName)")
        XCTAssertNil(movies.hydra.adapterLabels)
        // the label scheme of generation tasks is chosen on held-out training users, not pinned
        let headlines = try SessionFile.load(folder.appendingPathComponent("demo-headlines.json"))
        XCTAssertNil(headlines.hydra.adapterLabels)
        let subjects = try SessionFile.load(folder.appendingPathComponent("demo-subjects.json"))
        XCTAssertEqual(subjects.data, .demo(DemoSpec(task: .emailSubject, users: 24, seed: 7)))
    }

    func testMinimalSession_GetsDefaults() throws {
        let config = try load(#"{"name": "x", "data": {"path": "LaMP_2"}}"#)
        // run settings left out stay nil: the engine's defaults fill them (EngineBackend's RunSetup)
        XCTAssertEqual(config.retrieval, .init(retriever: "bm25", k: nil, r: nil))
        XCTAssertEqual(config.encoder, "minilm")
        XCTAssertEqual(config.llm.backend, "embedded")
        XCTAssertNil(config.llm.precision)
        XCTAssertEqual(try load(#"{"name": "x", "data": {"path": "p"}, "llm": {"precision": "exact"}}"#).llm.precision, "exact")
        XCTAssertNil(config.hydra.n)
        XCTAssertNil(config.hydra.seed)
        XCTAssertNil(config.task)
    }

    func testRoundTrip_PreservesEverything() throws {
        let config = SessionConfig(
            name: "rt", data: .demo(DemoSpec(task: .newsHeadline, users: 5, seed: 3)), task: .newsHeadline,
            retrieval: .init(retriever: "dense", k: 5, r: 1),
            llm: .init(backend: "openai", baseURL: "http://127.0.0.1:8000/v1", model: "m", apiKeyEnv: "KEY"),
            hydra: .init(n: 4, seed: 9, trainUsers: 3, evalUsers: 2, adapterLabels: "rouge"))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try SessionFile.save(config, to: url)
        XCTAssertEqual(try SessionFile.load(url), config)
    }

    func testBadSessions_NameTheKey() {
        assertError(#"{"name": "x", "data": {"path": "p"}, "retreival": {}}"#, contains: ["retreival", "unknown key"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "llm": {"backend": "openai"}}"#, contains: ["llm.base_url"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "task": "LaMP_9"}"#, contains: ["task", "unknown task"])
        assertError(#"{"name": "x", "data": {}}"#, contains: ["data", "exactly one"])
        assertError(#"{"data": {"path": "p"}}"#, contains: ["name", "missing"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "retrieval": {"k": "ten"}}"#, contains: ["retrieval.k"])
        assertError(#"{"name": "x", "data": {"demo": {"task": "LaMP_1", "users": 4, "seed": 1}}}"#, contains: ["data.demo.task"])
        assertError(#"{"name": "x", "data": "#, contains: ["not valid JSON"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "retrieval": {"k": 3, "r": 4}}"#, contains: ["retrieval.r"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "hydra": {"n": 0}}"#, contains: ["hydra.n"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "llm": {"precision": "int4"}}"#, contains: ["llm.precision", "exact"])
        assertError(#"{"name": "x", "data": {"path": "p"}, "llm": {"backend": "openai", "base_url": "http://h/v1", "precision": "int8"}}"#,
                    contains: ["llm.precision", "embedded backend only"])
        // adapter_labels is checked against the engine's AdapterLabels when a run is set up
        // (EngineBackendTests), since this target cannot see the engine
    }
}

final class SessionResolverTests: XCTestCase {
    func testDemoData_IsGeneratedOnceThenReused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let resolver = SessionResolver(demoRoot: root)
        let config = SessionConfig(name: "t", data: .demo(DemoSpec(task: .productRating, users: 3, seed: 5, profileSize: 20...25)))
        var lines: [String] = []
        let first = try resolver.dataDirectory(for: config, sessionFile: nil) { lines.append($0) }
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.appendingPathComponent("train_questions.json").path))
        let second = try resolver.dataDirectory(for: config, sessionFile: nil) { lines.append($0) }
        XCTAssertEqual(first, second)
        XCTAssertEqual(lines.count, 1, "second resolve must not regenerate")
        // No scratch folders are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [])
    }

    func testRelativeDataPath_IsTakenFromTheSessionFolder() throws {
        let config = SessionConfig(name: "t", data: .path("../data/LaMP_2"))
        let url = try SessionResolver().dataDirectory(for: config, sessionFile: URL(fileURLWithPath: "/x/Sessions/s.json"))
        XCTAssertEqual(url.path, "/x/data/LaMP_2")
    }
}
