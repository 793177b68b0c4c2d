import Foundation
import GRDB

/// One session's persistent state: a SQLite database (WAL mode, through GRDB) plus a `weights/`
/// folder of safetensors files beside it.
///
/// Every write is one transaction, so killing the process loses at most the write in flight and
/// the store reopens cleanly. The generation cache lives in the same database: wrap an LLM client
/// with `CachedLLMClient(wrapping:database: store.database)`. Embeddings: pass the store as the
/// `EmbeddingStore` of an `EmbeddingCache`.
public final class SessionStore: Sendable {
    /// The file name of the database inside a session directory.
    public static let databaseFileName = "session.sqlite"
    /// The folder of weights files inside a session directory.
    public static let weightsFolder = "weights"

    /// The session directory.
    public let directory: URL
    /// The database (WAL mode; safe to share between tasks).
    public let database: DatabasePool

    /// Opens (creating when needed) the session store in `directory`, migrating it to the
    /// current schema.
    /// - Throws: `SessionStoreError.cannotOpen`, or `.newerSchema` for a database from a newer build.
    public init(directory: URL) throws {
        self.directory = directory
        let path = directory.appendingPathComponent(Self.databaseFileName).path
        do {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(Self.weightsFolder), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SessionStoreError.cannotOpen(path: path, reason: String(describing: error))
        }
        let migrator = SessionSchema.migrator()
        let known = Set(migrator.migrations)
        let applied = try database.read { try migrator.appliedIdentifiers($0) }
        if applied.contains(where: { !known.contains($0) }) {
            throw SessionStoreError.newerSchema(path: path, found: applied.count, supported: known.count)
        }
        do {
            try migrator.migrate(database)
        } catch {
            throw SessionStoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Whether `directory` holds a session database.
    public static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(databaseFileName).path)
    }

    // MARK: - Meta values

    /// Stores a value under `key` (replacing any previous one).
    public func setValue(_ value: String, forKey key: String) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    /// The value stored under `key`, if any.
    public func value(forKey key: String) throws -> String? {
        try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    /// The session configuration (JSON text), as the engine stored it.
    public func config() throws -> String? { try value(forKey: "config") }

    /// Stores the session configuration (JSON text).
    public func saveConfig(_ json: String) throws { try setValue(json, forKey: "config") }

    /// The fingerprint of the dataset the session's results were computed on.
    public func datasetFingerprint() throws -> String? { try value(forKey: "dataset_fingerprint") }

    /// Stores the dataset fingerprint.
    public func saveDatasetFingerprint(_ fingerprint: String) throws { try setValue(fingerprint, forKey: "dataset_fingerprint") }

    /// The schema version recorded in the database.
    public func schemaVersion() throws -> Int { Int(try value(forKey: "schema_version") ?? "") ?? 0 }

    /// Whether SQLite's integrity check passes.
    public func integrityCheck() throws -> Bool {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok" }
    }
}
