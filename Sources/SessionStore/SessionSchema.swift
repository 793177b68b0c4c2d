import Foundation
import GenerationCache
import GRDB

/// The session database's tables and their migrations.
///
/// | table | key | what |
/// | --- | --- | --- |
/// | `meta` | key | session config (JSON), dataset fingerprint, schema version, free-form values |
/// | `embeddings` | encoder, text_hash | one sentence embedding (little-endian Float32 blob) |
/// | `weights` | name | a safetensors file beside the database (relative path, size, metadata) |
/// | `losses` | phase, step | one optimizer step's loss |
/// | `method_results` | method | a method's metrics (JSON object of metric name → value; the latest run) |
/// | `user_results` | method, user | one user's metrics under one method (the latest run) |
/// | `runs` | id | one run per settings: the settings, results, weights used, headline metrics |
/// | `generation_cache` | id | `GenerationCacheSchema`'s table (LLM calls) |
public enum SessionSchema {
    /// The schema version this build writes (the number of session migrations).
    public static let version = 2

    /// The migrator with every migration of a session database, in order.
    public static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        GenerationCacheSchema.registerMigration(in: &migrator)
        migrator.registerMigration("session-v1") { db in
            try db.create(table: "meta") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: "embeddings") { t in
                t.column("encoder", .text).notNull()
                t.column("text_hash", .integer).notNull()
                t.column("vector", .blob).notNull()
                t.primaryKey(["encoder", "text_hash"])
            }
            try db.create(table: "weights") { t in
                t.primaryKey("name", .text)
                t.column("file", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("metadata", .text)
                t.column("updated_at", .double).notNull()
            }
            try db.create(table: "losses") { t in
                t.column("phase", .text).notNull()
                t.column("step", .integer).notNull()
                t.column("loss", .double).notNull()
                t.primaryKey(["phase", "step"])
            }
            try db.create(table: "method_results") { t in
                t.primaryKey("method", .text)
                t.column("metrics", .text).notNull()
            }
            try db.create(table: "user_results") { t in
                t.column("method", .text).notNull()
                t.column("user", .text).notNull()
                t.column("metrics", .text).notNull()
                t.primaryKey(["method", "user"])
            }
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        }
        // v2 keeps every run (by the settings that produced it) instead of only the last one.
        // A v1 store's one run becomes run `earlier`, with the weights it saved under their
        // unsuffixed names, so a store written before stays readable.
        migrator.registerMigration("session-v2-runs") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("settings", .text).notNull()
                t.column("results", .text)
                t.column("weights", .text).notNull()
                t.column("headline", .text).notNull()
                t.column("finished_at", .double).notNull()
            }
            try migrateEarlierRun(db)
            try db.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        }
        return migrator
    }

    /// The run a v1 store holds (its `hydra_results` and `config` meta values, its weights and
    /// method results) as a row of `runs`.
    private static func migrateEarlierRun(_ db: Database) throws {
        let results = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'hydra_results'")
        let methodRows = try Row.fetchAll(db, sql: "SELECT method, metrics FROM method_results")
        guard results != nil || !methodRows.isEmpty else { return }
        let settings = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'config'") ?? "{}"
        var weights: [String: String] = [:]
        var newest = 0.0
        for row in try Row.fetchAll(db, sql: "SELECT name, updated_at FROM weights") {
            let name: String = row["name"]
            weights[name] = name
            newest = max(newest, row["updated_at"])
        }
        var headline: [String: [String: Double]] = [:]
        for row in methodRows {
            let json: String = row["metrics"]
            headline[row["method"]] = (try? JSONDecoder().decode([String: Double].self, from: Data(json.utf8))) ?? [:]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try db.execute(
            sql: "INSERT INTO runs (id, settings, results, weights, headline, finished_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                StoredRun.migratedID, settings, results, String(decoding: try encoder.encode(weights), as: UTF8.self),
                String(decoding: try encoder.encode(headline), as: UTF8.self), newest,
            ])
    }
}
