import Foundation
import GRDB

/// The cache's table and migration, shared with the session store's own migrator.
public enum GenerationCacheSchema {
    /// The migration's identifier in `grdb_migrations`.
    public static let migrationIdentifier = "generation-cache-v1"
    /// The table holding cached results.
    public static let tableName = "generation_cache"

    /// Registers the `generation-cache-v1` migration in `migrator` (call it once, in order with the
    /// store's other migrations).
    public static func registerMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationIdentifier) { db in
            try db.create(table: tableName) { t in
                t.autoIncrementedPrimaryKey("id")
                // FNV-1a 64 of `key`, stored as the signed bit pattern (SQLite integers are signed).
                t.column("key_hash", .integer).notNull().indexed()
                t.column("key", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("backend", .text).notNull()
                t.column("model", .text).notNull()
                // JSON: `[Completion]` for generate, `[Double]` for choose.
                t.column("result", .text).notNull()
                t.column("created_at", .double).notNull()
            }
        }
    }

    /// Runs just this migration on `writer` (idempotent; other applied migrations are left alone).
    public static func migrate(_ writer: any DatabaseWriter) throws {
        var migrator = DatabaseMigrator()
        registerMigration(in: &migrator)
        try migrator.migrate(writer)
    }

    /// Opens (creating if needed) a cache database file in WAL mode, migrated.
    /// - Parameter path: the SQLite file.
    public static func openDatabase(at path: String) throws -> DatabasePool {
        // DatabasePool always runs SQLite in WAL mode, so readers never block the writer.
        let pool = try DatabasePool(path: path)
        try migrate(pool)
        return pool
    }
}
