import Foundation
import GRDB

/// One weights file recorded in the store.
public struct WeightsRecord: Sendable, Equatable, Codable {
    /// The name the engine saved it under (e.g. `reranker`, `adapter`).
    public var name: String
    /// The file, relative to the session directory.
    public var file: String
    /// Its size in bytes.
    public var bytes: Int
    /// Free-form metadata (JSON) the engine stored with it.
    public var metadata: String?
}

/// Trained weights are safetensors files in `weights/`, referenced from the `weights` table.
extension SessionStore {
    /// Writes `data` as `weights/<name>.safetensors` (to a temporary file, then renamed, so a
    /// kill never leaves a half-written file under the real name) and records it.
    /// - Returns: the file's URL.
    @discardableResult
    public func saveWeights(name: String, data: Data, metadata: String? = nil) throws -> URL {
        let relative = "\(Self.weightsFolder)/\(Self.safeFileName(name)).safetensors"
        let url = directory.appendingPathComponent(relative)
        try data.write(to: url, options: .atomic)
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO weights (name, file, bytes, metadata, updated_at) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [name, relative, data.count, metadata, Date().timeIntervalSince1970])
        }
        return url
    }

    /// The bytes of the weights saved under `name`, or nil when none were saved.
    /// - Throws: `SessionStoreError.missingWeights` when the row exists but the file does not.
    public func loadWeights(name: String) throws -> Data? {
        guard let record = try weightsRecord(name: name) else { return nil }
        let url = directory.appendingPathComponent(record.file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SessionStoreError.missingWeights(name: name, file: url.path)
        }
        return data
    }

    /// The record of `name`, if saved.
    public func weightsRecord(name: String) throws -> WeightsRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT name, file, bytes, metadata FROM weights WHERE name = ?", arguments: [name])
                .map(Self.weightsRecord)
        }
    }

    /// Every weights record, by name.
    public func weightsRecords() throws -> [WeightsRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT name, file, bytes, metadata FROM weights ORDER BY name").map(Self.weightsRecord)
        }
    }

    /// Deletes every weights row and file whose name starts with `prefix`.
    public func removeWeights(prefix: String) throws {
        let removed = try weightsRecords().filter { $0.name.hasPrefix(prefix) }
        try database.write { db in
            for record in removed { try db.execute(sql: "DELETE FROM weights WHERE name = ?", arguments: [record.name]) }
        }
        for record in removed { try? FileManager.default.removeItem(at: directory.appendingPathComponent(record.file)) }
    }

    private static func weightsRecord(_ row: Row) -> WeightsRecord {
        WeightsRecord(name: row["name"], file: row["file"], bytes: row["bytes"], metadata: row["metadata"])
    }

    /// `name` with every character outside `[A-Za-z0-9._-]` replaced by `_`.
    static func safeFileName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return String(name.map { allowed.contains($0) ? $0 : "_" })
    }
}
