import Encoder
import Foundation
import GRDB

/// Sentence embeddings persist in the `embeddings` table, keyed by encoder id and text hash.
extension SessionStore: EmbeddingStore {
    /// The stored embedding, or nil when absent or unreadable (the cache then recomputes it).
    public func loadEmbedding(encoderID: String, textHash: UInt64) -> [Float]? {
        let data = try? database.read { db in
            try Data.fetchOne(
                db, sql: "SELECT vector FROM embeddings WHERE encoder = ? AND text_hash = ?",
                arguments: [encoderID, Int64(bitPattern: textHash)])
        }
        return data.flatMap { $0 }.map(Self.floats)
    }

    /// Stores embeddings in one transaction; a failed write is dropped (the cache recomputes).
    public func saveEmbeddings(encoderID: String, _ entries: [(textHash: UInt64, embedding: [Float])]) {
        guard !entries.isEmpty else { return }
        try? database.write { db in
            let statement = try db.makeStatement(
                sql: "INSERT OR REPLACE INTO embeddings (encoder, text_hash, vector) VALUES (?, ?, ?)")
            for entry in entries {
                try statement.execute(arguments: [encoderID, Int64(bitPattern: entry.textHash), Self.bytes(entry.embedding)])
            }
        }
    }

    /// The number of stored embeddings (all encoders).
    public func embeddingCount() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embeddings") ?? 0 }
    }

    static func bytes(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        let count = bytes.count / 4
        var out = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let b = UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16
                | UInt32(bytes[4 * i + 3]) << 24
            out[i] = Float(bitPattern: b)
        }
        return out
    }
}
