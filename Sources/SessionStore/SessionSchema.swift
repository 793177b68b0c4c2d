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
/// | `method_results` | method | a method's metrics (JSON object of metric name → value) |
/// | `user_results` | method, user | one user's metrics under one method |
/// | `generation_cache` | id | `GenerationCacheSchema`'s table (LLM calls) |
public enum SessionSchema {
    /// The schema version this build writes (the number of session migrations).
    public static let version = 1

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
        return migrator
    }
}
