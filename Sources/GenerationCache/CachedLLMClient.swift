import Foundation
import GRDB
import LLMInterface

/// Hit and miss counts of a `CachedLLMClient`.
public struct CacheStatistics: Sendable, Equatable {
    /// Calls answered from the database.
    public var hits: Int
    /// Calls forwarded to the wrapped client.
    public var misses: Int

    /// Counts, zero by default.
    public init(hits: Int = 0, misses: Int = 0) {
        self.hits = hits
        self.misses = misses
    }
}

/// An `LLMClient` that answers repeated calls from SQLite and forwards new ones to `wrapping`.
///
/// Calls are keyed by `CacheKey` (backend, model, exact prompt, sampling parameters, seed, n; or
/// the options for `choose`), so a re-run pipeline or replayed session is instant and works
/// offline. Concurrent identical misses may both call the wrapped client; the last stored result
/// wins. A row that cannot be decoded counts as a miss and is overwritten by the fresh result.
public final class CachedLLMClient: LLMClient {
    private let base: any LLMClient
    private let database: any DatabaseWriter
    private let counters = Counters()
    private let storesResults: Bool

    /// The wrapped client's backend.
    public var backendID: String { base.backendID }
    /// The wrapped client's model.
    public var modelID: String { base.modelID }

    /// - Parameters:
    ///   - wrapping: the client asked on a miss.
    ///   - database: the store; the `generation-cache-v1` migration is applied if missing.
    ///   - storesResults: false for a dry run that asks what is cached: misses go to `wrapping`
    ///     (a stand-in that counts them) and its answers are not kept.
    public init(wrapping: any LLMClient, database: any DatabaseWriter, storesResults: Bool = true) throws {
        base = wrapping
        self.database = database
        self.storesResults = storesResults
        try GenerationCacheSchema.migrate(database)
    }

    /// Hits and misses since this client was made.
    public var statistics: CacheStatistics { counters.value }

    /// The cached completions for this exact call, or the wrapped client's (then stored).
    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        let key = CacheKey.generate(backend: backendID, model: modelID, prompt: prompt, parameters: parameters, n: n)
        if let cached: [Completion] = try await lookup(key) { return cached }
        let fresh = try await base.generate(prompt, parameters: parameters, n: n)
        try await store(fresh, key: key, kind: "generate")
        return fresh
    }

    /// The cached log-probabilities for this exact call, or the wrapped client's (then stored).
    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let key = CacheKey.choose(backend: backendID, model: modelID, prompt: prompt, options: options)
        if let cached: [Double] = try await lookup(key) { return cached }
        let fresh = try await base.choose(prompt, options: options)
        try await store(fresh, key: key, kind: "choose")
        return fresh
    }

    // MARK: - Storage

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Log-probabilities may be -inf.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    private func lookup<T: Decodable & Sendable>(_ key: CacheKey) async throws -> T? {
        let hash = Int64(bitPattern: key.hash)
        let json = try await database.read { db in
            try String.fetchOne(db, sql: "SELECT result FROM generation_cache WHERE key_hash = ? AND key = ?",
                                arguments: [hash, key.canonical])
        }
        // An unreadable row counts as a miss; the fresh result replaces it.
        guard let json, let value = try? Self.decoder().decode(T.self, from: Data(json.utf8)) else {
            counters.count(hit: false)
            return nil
        }
        counters.count(hit: true)
        return value
    }

    /// Keeps a fresh result. The write runs in a task of its own, outside the caller's
    /// cancellation: a result the LLM already produced is kept when the run is stopped or a
    /// sibling call fails meanwhile, so a resumed run never pays for it twice.
    private func store<T: Encodable & Sendable>(_ value: T, key: CacheKey, kind: String) async throws {
        guard storesResults else { return }
        let json = String(decoding: try Self.encoder().encode(value), as: UTF8.self)
        let (backend, model, database) = (backendID, modelID, database)
        try await Task {
            try await Self.insert(json, key: key, kind: kind, backend: backend, model: model, into: database)
        }.value
    }

    private static func insert(
        _ json: String, key: CacheKey, kind: String, backend: String, model: String, into database: any DatabaseWriter
    ) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO generation_cache (key_hash, key, kind, backend, model, result, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET result = excluded.result, created_at = excluded.created_at
                """, arguments: [Int64(bitPattern: key.hash), key.canonical, kind, backend, model, json,
                                 Date().timeIntervalSince1970])
        }
    }
}

extension CachedLLMClient: UsageReportingLLMClient {
    /// The wrapped client's totals (calls that reached it; nothing else when it keeps none), with
    /// this cache's hits and misses added.
    public var usage: LLMUsage {
        var usage = base.reportedUsage ?? LLMUsage()
        let statistics = statistics
        usage.cacheHits += statistics.hits
        usage.cacheMisses += statistics.misses
        return usage
    }
}

/// Thread-safe hit/miss counters.
private final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private var stats = CacheStatistics()

    var value: CacheStatistics {
        lock.lock(); defer { lock.unlock() }
        return stats
    }

    func count(hit: Bool) {
        lock.lock(); defer { lock.unlock() }
        if hit { stats.hits += 1 } else { stats.misses += 1 }
    }
}
