import Basics
import Foundation
import GRDB

/// One finished run kept in the store: the settings that produced it, its results and the
/// weights it used. A run with other settings is kept beside it, not written over it.
public struct StoredRun: Sendable, Equatable, Codable {
    /// The run's key: `StoredRun.key(settings:)` of its settings, so a re-run with the same
    /// settings replaces its own earlier run and nothing else.
    public var id: String
    /// The settings that produced it (JSON, sorted keys).
    public var settings: String
    /// Its full results (JSON, as the engine encodes them), or nil.
    public var results: String?
    /// Which stored weights it used: slot (`reranker-joint`, `adapter-fit`, …) → weights name.
    public var weights: [String: String]
    /// Each method's metrics, for listing runs without decoding the full results.
    public var headline: [String: [String: Double]]
    /// When it finished.
    public var finishedAt: Date

    public init(
        id: String, settings: String, results: String?, weights: [String: String],
        headline: [String: [String: Double]], finishedAt: Date
    ) {
        self.id = id
        self.settings = settings
        self.results = results
        self.weights = weights
        self.headline = headline
        self.finishedAt = finishedAt
    }

    /// The key of a run with these settings: FNV-1a 64 of the JSON text, as 16 hex digits.
    public static func key(settings: String) -> String {
        let hex = String(FNV1a64.hash(settings), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The id a store from before runs were kept gives its one earlier run (see `SessionSchema`).
    public static let migratedID = "earlier"
}

/// Runs, newest first; the weights each run used.
extension SessionStore {
    /// Keeps `run`, replacing only an earlier run with the same id (the same settings).
    public func saveRun(_ run: StoredRun) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let weights = String(decoding: try encoder.encode(run.weights), as: UTF8.self)
        let headline = String(decoding: try encoder.encode(run.headline), as: UTF8.self)
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO runs (id, settings, results, weights, headline, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [run.id, run.settings, run.results, weights, headline, run.finishedAt.timeIntervalSince1970])
        }
    }

    /// Every kept run, newest first.
    public func runs() throws -> [StoredRun] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY finished_at DESC, id")
        }
        return try rows.map(Self.storedRun)
    }

    /// The newest run, or nil when none was kept.
    public func latestRun() throws -> StoredRun? { try runs().first }

    /// The run whose id is `id` or starts with it (at least 4 characters, as `hydra session show`
    /// lists them); the newest when `id` is nil.
    /// - Throws: `SessionStoreError.unknownRun` naming the runs there are.
    public func run(id: String?) throws -> StoredRun? {
        let all = try runs()
        guard let id else { return all.first }
        if let exact = all.first(where: { $0.id == id }) { return exact }
        let matches = id.count >= 4 ? all.filter { $0.id.hasPrefix(id) } : []
        guard matches.count == 1 else {
            throw SessionStoreError.unknownRun(id: id, known: all.map(\.id), ambiguous: matches.count > 1)
        }
        return matches[0]
    }

    /// Records that the run in progress uses the weights stored as `name` for `slot`; `saveRun`
    /// callers read them back with `weightsInUse()`.
    public func markWeightsInUse(slot: String, name: String) throws {
        try setValue(name, forKey: Self.inUsePrefix + slot)
    }

    /// Slot → weights name, as `markWeightsInUse` recorded them.
    public func weightsInUse() throws -> [String: String] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key LIKE ?", arguments: [Self.inUsePrefix + "%"])
        }
        var out: [String: String] = [:]
        for row in rows {
            let key: String = row["key"]
            out[String(key.dropFirst(Self.inUsePrefix.count))] = row["value"]
        }
        return out
    }

    /// Forgets what `markWeightsInUse` recorded, when a run starts.
    public func clearWeightsInUse() throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM meta WHERE key LIKE ?", arguments: [Self.inUsePrefix + "%"])
        }
    }

    static let inUsePrefix = "weights_in_use/"

    private static func storedRun(_ row: Row) throws -> StoredRun {
        let id: String = row["id"]
        func decode<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
            let json: String = row[column]
            do {
                return try JSONDecoder().decode(T.self, from: Data(json.utf8))
            } catch {
                throw SessionStoreError.corruptRow(table: "runs", key: id, reason: "\(column) is not valid JSON")
            }
        }
        return StoredRun(
            id: id, settings: row["settings"], results: row["results"],
            weights: try decode("weights", as: [String: String].self),
            headline: try decode("headline", as: [String: [String: Double]].self),
            finishedAt: Date(timeIntervalSince1970: row["finished_at"]))
    }
}
