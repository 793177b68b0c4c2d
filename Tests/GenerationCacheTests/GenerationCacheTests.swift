import Foundation
import GenerationCache
import GRDB
import LLMInterface
import LLMTestSupport
import XCTest

final class GenerationCacheTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func databasePath() -> String { directory.appendingPathComponent("session.sqlite").path }

    private let chat = LLMPrompt.chat([ChatMessage(role: "user", content: "tag this movie")])

    // MARK: - Hits and misses

    func testGenerate_MissThenHit_CallsModelOnce() async throws {
        let model = EchoModel()
        let client = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        let params = SamplingParameters(temperature: 0.8, seed: 3)
        let first = try await client.generate(chat, parameters: params, n: 2)
        let second = try await client.generate(chat, parameters: params, n: 2)
        XCTAssertEqual(first, second)
        XCTAssertEqual(model.calls.generate, 1)
        XCTAssertEqual(client.statistics, CacheStatistics(hits: 1, misses: 1))
    }

    func testGenerate_AnyDifference_IsAMiss() async throws {
        let model = EchoModel()
        let client = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        let base = SamplingParameters(temperature: 0.8, topP: 0.9, topK: 0, maxTokens: 20, stop: [], seed: 3)
        var variants: [(LLMPrompt, SamplingParameters, Int)] = [(chat, base, 1)]
        variants.append((chat, base, 2))
        for change in [{ (p: inout SamplingParameters) in p.temperature = 0.7 }, { $0.topP = 1 }, { $0.topK = 5 },
                       { $0.maxTokens = 21 }, { $0.stop = ["\n"] }, { $0.seed = 4 }] {
            var p = base
            change(&p)
            variants.append((chat, p, 1))
        }
        variants.append((.raw("user>tag this movie"), base, 1))
        variants.append((.chat([ChatMessage(role: "system", content: "tag this movie")]), base, 1))
        for (prompt, params, n) in variants {
            _ = try await client.generate(prompt, parameters: params, n: n)
        }
        XCTAssertEqual(model.calls.generate, variants.count)
        XCTAssertEqual(client.statistics.hits, 0)
        // And each of them is now a hit.
        for (prompt, params, n) in variants {
            _ = try await client.generate(prompt, parameters: params, n: n)
        }
        XCTAssertEqual(model.calls.generate, variants.count)
        XCTAssertEqual(client.statistics.hits, variants.count)
    }

    func testBackendAndModel_AreInTheKey() async throws {
        let pool = try GenerationCacheSchema.openDatabase(at: databasePath())
        let a = EchoModel(backendID: "embedded", modelID: "m1")
        let b = EchoModel(backendID: "openai:http://x/v1", modelID: "m1")
        _ = try await CachedLLMClient(wrapping: a, database: pool).generate(chat, parameters: .greedy(), n: 1)
        _ = try await CachedLLMClient(wrapping: b, database: pool).generate(chat, parameters: .greedy(), n: 1)
        XCTAssertEqual(a.calls.generate + b.calls.generate, 2)
    }

    func testChoose_CachedPerOptionList_KeepsInfinities() async throws {
        let model = EchoModel()
        let client = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        let first = try await client.choose(chat, options: ["movie", "book"])
        let again = try await client.choose(chat, options: ["movie", "book"])
        XCTAssertEqual(again, first)
        _ = try await client.choose(chat, options: ["book", "movie"])
        XCTAssertEqual(model.calls.choose, 2)

        final class InfinityModel: LLMClient, @unchecked Sendable {
            let backendID = "inf"
            let modelID = "inf"
            func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] { [] }
            func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] { [0, -.infinity] }
        }
        let infinite = try CachedLLMClient(wrapping: InfinityModel(), database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        _ = try await infinite.choose(chat, options: ["a", "b"])
        let cached = try await infinite.choose(chat, options: ["a", "b"])
        XCTAssertEqual(cached, [0, -.infinity])
        XCTAssertEqual(infinite.statistics.hits, 1)
    }

    // MARK: - Usage

    func testUsage_ForwardsTheBaseTotalsAndAddsHitsAndMisses() async throws {
        let model = MeteredLLM(wrapping: EchoModel())
        let client = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        let params = SamplingParameters(temperature: 0.8, seed: 3)
        _ = try await client.generate(chat, parameters: params, n: 2)
        _ = try await client.generate(chat, parameters: params, n: 2)
        _ = try await client.choose(chat, options: ["a", "b"])
        _ = try await client.choose(chat, options: ["a", "b"])
        _ = try await client.choose(chat, options: ["a", "c"])
        let usage = client.usage
        XCTAssertEqual(usage.cacheHits, 2)
        XCTAssertEqual(usage.cacheMisses, 3)
        // only misses reach the model, and its own totals come through unchanged
        XCTAssertEqual(usage.generateCalls, 1)
        XCTAssertEqual(usage.chooseCalls, 2)
        var base = model.usage
        base.cacheHits = 2
        base.cacheMisses = 3
        XCTAssertEqual(usage, base)
        XCTAssertEqual(usage.promptTokens, 3 * MeteredLLM.words(chat))
    }

    func testUsage_OverAClientThatKeepsNone_CountsHitsAndMissesOnly() async throws {
        let client = try CachedLLMClient(wrapping: EchoModel(), database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        _ = try await client.choose(chat, options: ["a"])
        _ = try await client.choose(chat, options: ["a"])
        XCTAssertEqual(client.usage, LLMUsage(cacheHits: 1, cacheMisses: 1))
    }

    func testUsage_ConcurrentCalls_AreAllCounted() async throws {
        let model = MeteredLLM(wrapping: EchoModel(latency: 0.01))
        let client = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<16 {
                group.addTask { _ = try await client.generate(.raw("prompt number \(i % 8)"), parameters: .greedy(), n: 1) }
            }
            try await group.waitForAll()
        }
        let usage = client.usage
        XCTAssertEqual(usage.cacheHits + usage.cacheMisses, 16)
        XCTAssertEqual(usage.generateCalls, usage.cacheMisses)
        XCTAssertEqual(usage.promptTokens, 3 * usage.generateCalls)
    }

    // MARK: - Persistence and concurrency

    func testPersistence_AcrossReopeningTheFile() async throws {
        let params = SamplingParameters(temperature: 1, seed: 11)
        let stored: [Completion]
        do {
            let client = try CachedLLMClient(wrapping: EchoModel(), database: try GenerationCacheSchema.openDatabase(at: databasePath()))
            stored = try await client.generate(chat, parameters: params, n: 3)
        }
        let model = EchoModel(failure: "offline")
        let reopened = try CachedLLMClient(wrapping: model, database: try GenerationCacheSchema.openDatabase(at: databasePath()))
        let replayed = try await reopened.generate(chat, parameters: params, n: 3)
        XCTAssertEqual(replayed, stored)
        XCTAssertEqual(model.calls.generate, 0)
    }

    func testConcurrentCalls_ShareOneTable() async throws {
        let model = EchoModel(latency: 0.01)
        let pool = try GenerationCacheSchema.openDatabase(at: databasePath())
        let client = try CachedLLMClient(wrapping: model, database: pool)
        let prompts = (0..<5).map { LLMPrompt.raw("prompt \($0)") }
        for _ in 0..<2 {
            try await withThrowingTaskGroup(of: (Int, [Completion]).self) { group in
                for i in 0..<20 {
                    let prompt = prompts[i % 5]
                    group.addTask { (i % 5, try await client.generate(prompt, parameters: .greedy(), n: 1)) }
                }
                for try await (index, completions) in group {
                    XCTAssertEqual(completions, [EchoModel.expected(prompts[index], .greedy(), index: 0)])
                }
            }
        }
        let rows = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM generation_cache") }
        XCTAssertEqual(rows, 5)
        let stats = client.statistics
        XCTAssertEqual(stats.hits + stats.misses, 40)
        XCTAssertGreaterThanOrEqual(stats.hits, 20)  // the whole second round at least
    }

    // MARK: - Schema

    func testDatabase_IsInWALMode() async throws {
        let pool = try GenerationCacheSchema.openDatabase(at: databasePath())
        let mode = try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode?.lowercased(), "wal")
    }

    func testMigration_RegistersIntoAForeignMigrator() async throws {
        let pool = try DatabasePool(path: databasePath())
        var migrator = DatabaseMigrator()
        migrator.registerMigration("sessions-v1") { db in
            try db.create(table: "session") { t in t.autoIncrementedPrimaryKey("id") }
        }
        GenerationCacheSchema.registerMigration(in: &migrator)
        try migrator.migrate(pool)
        let registered = migrator
        let applied = try await pool.read { db in try registered.appliedIdentifiers(db) }
        XCTAssertEqual(applied, ["sessions-v1", "generation-cache-v1"])
        // A cache client on the same store neither fails nor re-runs the migration.
        let client = try CachedLLMClient(wrapping: EchoModel(), database: pool)
        _ = try await client.generate(chat, parameters: .greedy(), n: 1)
        let indexed = try await pool.read { db in try db.indexes(on: "generation_cache").flatMap(\.columns) }
        XCTAssertTrue(indexed.contains("key_hash"))
    }

    // MARK: - Keys

    func testKey_CanonicalStringSeparatesMessageBoundaries() {
        let a = CacheKey.generate(backend: "b", model: "m", prompt: .chat([ChatMessage(role: "user", content: "a"),
                                                                          ChatMessage(role: "user", content: "bc")]),
                                  parameters: .greedy(), n: 1)
        let b = CacheKey.generate(backend: "b", model: "m", prompt: .chat([ChatMessage(role: "user", content: "ab"),
                                                                          ChatMessage(role: "user", content: "c")]),
                                  parameters: .greedy(), n: 1)
        XCTAssertNotEqual(a.canonical, b.canonical)
        let quoted = CacheKey.choose(backend: "b", model: "m", prompt: .raw("x\",\"y"), options: ["q"])
        let split = CacheKey.choose(backend: "b", model: "m", prompt: .raw("x"), options: ["y", "q"])
        XCTAssertNotEqual(quoted.canonical, split.canonical)
    }

    /// Published FNV-1a 64 test vectors (Fowler/Noll/Vo reference test suite).
    func testFNV1a64_KnownVectors() {
        XCTAssertEqual(CacheKey.fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(CacheKey.fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(CacheKey.fnv1a64("foobar"), 0x8594_4171_f739_67e8)
    }
}
