import Basics
import Foundation

/// A persistent backing store for `EmbeddingCache` (e.g. the session store), consulted on a miss
/// and given every newly computed vector.
public protocol EmbeddingStore: Sendable {
    /// The stored vector for `(encoderID, textHash)`, or nil.
    func loadEmbedding(encoderID: String, textHash: UInt64) -> [Float]?
    /// Persists freshly computed vectors, keyed by text hash.
    func saveEmbeddings(encoderID: String, _ entries: [(textHash: UInt64, embedding: [Float])])
}

/// Thread-safe in-memory cache of sentence vectors keyed by (encoder id, FNV-1a 64 hash of the text),
/// holding at most `capacity` vectors; the oldest inserted is evicted first.
public final class EmbeddingCache: @unchecked Sendable {
    /// Cache key: which encoder, which text.
    public struct Key: Hashable, Sendable {
        /// `SentenceEncoder.id`.
        public let encoderID: String
        /// `EmbeddingCache.textHash(text)`.
        public let textHash: UInt64
    }

    /// Maximum number of vectors kept in memory.
    public let capacity: Int
    /// Optional persistent store behind the memory cache.
    public let store: (any EmbeddingStore)?

    private let lock = NSLock()
    private var entries: [Key: [Float]] = [:]
    private var insertionOrder: [Key] = []
    private var oldest = 0
    private var hitCount = 0, missCount = 0

    /// Creates a cache.
    /// - Parameters:
    ///   - capacity: most vectors kept in memory (at least 1).
    ///   - store: consulted on a miss and written through on every computed vector.
    public init(capacity: Int = 50_000, store: (any EmbeddingStore)? = nil) {
        precondition(capacity >= 1, "capacity must be positive")
        self.capacity = capacity
        self.store = store
    }

    /// The hash used in keys: FNV-1a 64 of the UTF-8 bytes.
    public static func textHash(_ text: String) -> UInt64 { FNV1a64.hash(text) }

    /// Number of vectors in memory.
    public var count: Int { lock.withLock { entries.count } }

    /// (hits, misses) of `encode` lookups so far; a store hit counts as a hit.
    public var statistics: (hits: Int, misses: Int) { lock.withLock { (hitCount, missCount) } }

    /// The cached vector of `text` for an encoder, from memory or the store.
    public func embedding(for text: String, encoderID: String) -> [Float]? {
        let key = Key(encoderID: encoderID, textHash: Self.textHash(text))
        if let vector = lock.withLock({ entries[key] }) { return vector }
        guard let vector = store?.loadEmbedding(encoderID: encoderID, textHash: key.textHash) else { return nil }
        lock.withLock { insertLocked(key, vector) }
        return vector
    }

    /// Adds a vector to memory (not to the store).
    public func insert(_ embedding: [Float], for text: String, encoderID: String) {
        let key = Key(encoderID: encoderID, textHash: Self.textHash(text))
        lock.withLock { insertLocked(key, embedding) }
    }

    /// Vectors of `texts` from the cache where present; the rest (deduplicated) are encoded in one
    /// call, cached, and written to the store.
    /// - Throws: whatever `encoder.encode` throws.
    public func encode(_ texts: [String], with encoder: any SentenceEncoder) throws -> [[Float]] {
        var result = [[Float]?](repeating: nil, count: texts.count)
        var missingPositions: [String: [Int]] = [:]
        var missingTexts: [String] = []
        for (index, text) in texts.enumerated() {
            if let vector = embedding(for: text, encoderID: encoder.id) {
                result[index] = vector
                lock.withLock { hitCount += 1 }
            } else {
                if missingPositions[text] == nil { missingTexts.append(text) }
                missingPositions[text, default: []].append(index)
                lock.withLock { missCount += 1 }
            }
        }
        if !missingTexts.isEmpty {
            let vectors = try encoder.encode(missingTexts)
            var saved: [(textHash: UInt64, embedding: [Float])] = []
            for (text, vector) in zip(missingTexts, vectors) {
                insert(vector, for: text, encoderID: encoder.id)
                saved.append((Self.textHash(text), vector))
                for index in missingPositions[text] ?? [] { result[index] = vector }
            }
            store?.saveEmbeddings(encoderID: encoder.id, saved)
        }
        return result.map { $0 ?? [] }
    }

    /// Drops every vector from memory (the store is untouched).
    public func removeAll() {
        lock.withLock {
            entries.removeAll()
            insertionOrder.removeAll()
            oldest = 0
        }
    }

    private func insertLocked(_ key: Key, _ vector: [Float]) {
        if entries.updateValue(vector, forKey: key) != nil { return }
        insertionOrder.append(key)
        while entries.count > capacity, oldest < insertionOrder.count {
            entries[insertionOrder[oldest]] = nil
            oldest += 1
        }
        // compact the order list once its evicted prefix dominates
        if oldest > capacity {
            insertionOrder.removeFirst(oldest)
            oldest = 0
        }
    }
}
