import Encoder
import Foundation
import GRDB
import SessionStore
import XCTest

final class SessionStoreTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("session-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testOpen_FreshDirectory_MigratesToCurrentSchemaInWALMode() throws {
        let store = try SessionStore(directory: try temporaryDirectory())
        XCTAssertEqual(try store.schemaVersion(), SessionSchema.version)
        let mode = try store.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode?.lowercased(), "wal")
        let tables = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table in ["meta", "embeddings", "weights", "losses", "method_results", "user_results", "generation_cache"] {
            XCTAssertTrue(tables.contains(table), "missing table \(table)")
        }
    }

    func testReopen_KeepsConfigFingerprintLossesAndResults() throws {
        let directory = try temporaryDirectory()
        do {
            let store = try SessionStore(directory: directory)
            try store.saveConfig("{\"task\":\"LaMP_2\"}")
            try store.saveDatasetFingerprint("abc123")
            try store.replaceLosses(phase: "reranker/joint", losses: [0.7, 0.5, 0.25])
            try store.saveResults(
                methods: ["rag": ["accuracy": 0.5], "hydra": ["accuracy": 0.75]],
                users: [UserResult(method: "hydra", user: "u1", metrics: ["accuracy": 1])])
        }
        let store = try SessionStore(directory: directory)
        XCTAssertEqual(try store.config(), "{\"task\":\"LaMP_2\"}")
        XCTAssertEqual(try store.datasetFingerprint(), "abc123")
        XCTAssertEqual(try store.losses(phase: "reranker/joint"), [0.7, 0.5, 0.25])
        XCTAssertEqual(try store.methodResults()["hydra"]?["accuracy"], 0.75)
        XCTAssertEqual(try store.userResults(), [UserResult(method: "hydra", user: "u1", metrics: ["accuracy": 1])])
    }

    func testEmbeddingStore_CacheMissLoadsFromDatabaseAfterReopen() throws {
        let directory = try temporaryDirectory()
        let encoder = HashingEncoder()
        let texts = ["a movie about space", "a quiet drama"]
        let first = try EmbeddingCache(store: try SessionStore(directory: directory)).encode(texts, with: encoder)
        let store = try SessionStore(directory: directory)
        XCTAssertEqual(try store.embeddingCount(), 2)
        let stored = store.loadEmbedding(encoderID: encoder.id, textHash: EmbeddingCache.textHash(texts[1]))
        XCTAssertEqual(stored, first[1])
        let cache = EmbeddingCache(store: store)
        XCTAssertEqual(try cache.encode(texts, with: encoder), first)
        XCTAssertEqual(cache.statistics.hits, 2, "both vectors should come from the database")
    }

    func testWeights_SavedBesideDatabase_RoundTripAndMissingFileIsNamed() throws {
        let directory = try temporaryDirectory()
        let store = try SessionStore(directory: directory)
        let data = Data((0..<1000).map { UInt8($0 % 256) })
        let url = try store.saveWeights(name: "reranker/joint", data: data, metadata: "{}")
        XCTAssertEqual(url.deletingLastPathComponent().lastPathComponent, SessionStore.weightsFolder)
        XCTAssertEqual(try store.loadWeights(name: "reranker/joint"), data)
        XCTAssertNil(try store.loadWeights(name: "adapter/joint"))
        try FileManager.default.removeItem(at: url)
        XCTAssertThrowsError(try store.loadWeights(name: "reranker/joint")) { error in
            guard case SessionStoreError.missingWeights(let name, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "reranker/joint")
        }
    }

    func testSessionsUnderRoot_ListsOnlyDirectoriesWithADatabase() throws {
        let root = try temporaryDirectory()
        _ = try SessionStore(directory: root.appendingPathComponent("b"))
        _ = try SessionStore(directory: root.appendingPathComponent("a"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)
        XCTAssertEqual(SessionStore.sessions(under: root).map(\.lastPathComponent), ["a", "b"])
    }

    func testKillDuringWrites_StoreReopensWithContiguousHistory() throws {
        let helper = try Self.writerExecutable()
        let directory = try temporaryDirectory()
        let process = Process()
        process.executableURL = helper
        process.arguments = [directory.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // wait for 40 committed steps (or give up after 60 s)
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while !seen.contains("step 40\n"), Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertTrue(seen.contains("step 40\n"), "writer did not reach step 40: \(seen.suffix(200))")

        let store = try SessionStore(directory: directory)
        XCTAssertTrue(try store.integrityCheck())
        let losses = try store.losses(phase: "writer")
        XCTAssertGreaterThanOrEqual(losses.count, 41)
        XCTAssertEqual(losses, (0..<losses.count).map { Float($0) }, "history must be contiguous from step 0")
        let weights = try XCTUnwrap(try store.loadWeights(name: "writer"))
        XCTAssertEqual(weights.count, 1 << 18)
        XCTAssertEqual(Set(weights).count, 1, "weights file is torn")
        // and the store still takes writes
        try store.appendLosses(phase: "writer", firstStep: losses.count, losses: [Float(losses.count)])
        XCTAssertEqual(try store.losses(phase: "writer").count, losses.count + 1)
    }

    /// The helper built beside the test bundle (`swift build` builds every product).
    private static func writerExecutable() throws -> URL {
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        candidates += [Bundle.main.bundleURL, Bundle(for: SessionStoreTests.self).bundleURL.deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent("session-store-writer")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw XCTSkip("session-store-writer not found beside the tests (searched \(candidates.map(\.path)))")
    }
}

/// Kept runs, and a store from before they were kept (schema v1) opening with its run intact.
final class SessionStoreRunsTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("session-runs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func run(_ settings: String, accuracy: Double, at time: Double) -> StoredRun {
        StoredRun(
            id: StoredRun.key(settings: settings), settings: settings, results: "{\"accuracy\": \(accuracy)}",
            weights: ["reranker-fit": "reranker-fit@\(settings.count)"], headline: ["hydra": ["accuracy": accuracy]],
            finishedAt: Date(timeIntervalSince1970: time))
    }

    func testRuns_KeptPerSettings_NewestFirst_FoundByPrefix() throws {
        let store = try SessionStore(directory: try temporaryDirectory())
        XCTAssertNil(try store.run(id: nil))
        let a = run("{\"seed\":1}", accuracy: 0.5, at: 100)
        let b = run("{\"seed\":2}", accuracy: 0.75, at: 200)
        try store.saveRun(a)
        try store.saveRun(b)
        XCTAssertEqual(try store.runs(), [b, a])
        XCTAssertEqual(try store.run(id: nil), b)
        XCTAssertEqual(try store.run(id: String(a.id.prefix(6))), a)
        XCTAssertThrowsError(try store.run(id: "zzzz")) { error in
            guard case .unknownRun("zzzz", let known, false)? = error as? SessionStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(Set(known), [a.id, b.id])
        }
        // the same settings again replace their run, and it becomes the newest
        let a2 = run("{\"seed\":1}", accuracy: 0.625, at: 300)
        try store.saveRun(a2)
        XCTAssertEqual(try store.runs(), [a2, b])
        XCTAssertEqual(StoredRun.key(settings: "{\"seed\":1}"), a.id)
        XCTAssertEqual(a.id.count, 16)
    }

    func testWeightsInUse_RecordedAndCleared() throws {
        let store = try SessionStore(directory: try temporaryDirectory())
        try store.markWeightsInUse(slot: "reranker-joint", name: "reranker-joint@abc")
        try store.markWeightsInUse(slot: "adapter-fit", name: "adapter-fit@def")
        XCTAssertEqual(try store.weightsInUse(), ["reranker-joint": "reranker-joint@abc", "adapter-fit": "adapter-fit@def"])
        try store.clearWeightsInUse()
        XCTAssertEqual(try store.weightsInUse(), [:])
    }

    func testVersion1Store_OpensWithItsRunKept() throws {
        let directory = try temporaryDirectory()
        // a store as the previous build wrote it: schema v1, one result, weights under slot names
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("weights"), withIntermediateDirectories: true)
            let pool = try DatabasePool(path: directory.appendingPathComponent(SessionStore.databaseFileName).path)
            try SessionSchema.migrator().migrate(pool, upTo: "session-v1")
            try pool.write { db in
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('config', '{\"task\":\"LaMP_2\"}')")
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('hydra_results', '{\"task\":\"LaMP_2\"}')")
                try db.execute(sql: "INSERT INTO method_results (method, metrics) VALUES ('hydra', '{\"accuracy\":0.5}')")
                try db.execute(
                    sql: "INSERT INTO weights (name, file, bytes, metadata, updated_at) VALUES ('reranker-fit', 'weights/reranker-fit.safetensors', 3, 'k', 1234)")
            }
            try Data("abc".utf8).write(to: directory.appendingPathComponent("weights/reranker-fit.safetensors"))
        }
        let store = try SessionStore(directory: directory)
        XCTAssertEqual(try store.schemaVersion(), 2)
        let runs = try store.runs()
        XCTAssertEqual(runs.count, 1)
        let earlier = try XCTUnwrap(runs.first)
        XCTAssertEqual(earlier.id, StoredRun.migratedID)
        XCTAssertEqual(earlier.settings, "{\"task\":\"LaMP_2\"}")
        XCTAssertEqual(earlier.results, "{\"task\":\"LaMP_2\"}")
        XCTAssertEqual(earlier.weights, ["reranker-fit": "reranker-fit"])
        XCTAssertEqual(earlier.headline, ["hydra": ["accuracy": 0.5]])
        XCTAssertEqual(earlier.finishedAt, Date(timeIntervalSince1970: 1234))
        XCTAssertEqual(try store.loadWeights(name: earlier.weights["reranker-fit"]!), Data("abc".utf8))
        XCTAssertEqual(try store.summary().runs.map(\.id), [StoredRun.migratedID])
    }

    func testVersion1StoreWithoutAnyRun_GetsNoRun() throws {
        let directory = try temporaryDirectory()
        do {
            let pool = try DatabasePool(path: directory.appendingPathComponent(SessionStore.databaseFileName).path)
            try SessionSchema.migrator().migrate(pool, upTo: "session-v1")
        }
        XCTAssertEqual(try SessionStore(directory: directory).runs(), [])
    }
}
