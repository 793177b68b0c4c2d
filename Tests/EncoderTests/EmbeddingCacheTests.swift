import Foundation
import XCTest
@testable import Encoder

/// Counts how many texts it was asked to encode.
private final class CountingEncoder: SentenceEncoder, @unchecked Sendable {
    let id = "counting"
    let dimension = 2
    private let lock = NSLock()
    private var encodedTexts: [String] = []
    var encoded: [String] { lock.withLock { encodedTexts } }
    func encode(_ texts: [String]) throws -> [[Float]] {
        lock.withLock { encodedTexts += texts }
        return texts.map { [Float($0.count), 1] }
    }
}

/// An in-memory `EmbeddingStore` standing in for the session store.
private final class MemoryStore: EmbeddingStore, @unchecked Sendable {
    private let lock = NSLock()
    var saved: [String: [Float]] = [:]
    func loadEmbedding(encoderID: String, textHash: UInt64) -> [Float]? {
        lock.withLock { saved["\(encoderID)/\(textHash)"] }
    }
    func saveEmbeddings(encoderID: String, _ entries: [(textHash: UInt64, embedding: [Float])]) {
        lock.withLock { for e in entries { saved["\(encoderID)/\(e.textHash)"] = e.embedding } }
    }
}

final class EmbeddingCacheTests: XCTestCase {
    func testEncode_SecondCallHitsCache_DuplicatesEncodedOnce() throws {
        let cache = EmbeddingCache(capacity: 10)
        let encoder = CountingEncoder()
        XCTAssertEqual(try cache.encode(["ab", "abc", "ab"], with: encoder), [[2, 1], [3, 1], [2, 1]])
        XCTAssertEqual(encoder.encoded, ["ab", "abc"])
        XCTAssertEqual(try cache.encode(["abc", "ab"], with: encoder), [[3, 1], [2, 1]])
        XCTAssertEqual(encoder.encoded.count, 2)
        XCTAssertEqual(cache.statistics.hits, 2)
        XCTAssertEqual(cache.statistics.misses, 3)
    }

    func testKeys_SeparateEncoders() {
        let cache = EmbeddingCache(capacity: 10)
        cache.insert([1], for: "x", encoderID: "a")
        XCTAssertEqual(cache.embedding(for: "x", encoderID: "a"), [1])
        XCTAssertNil(cache.embedding(for: "x", encoderID: "b"))
    }

    func testCapacity_EvictsOldestFirst() {
        let cache = EmbeddingCache(capacity: 3)
        for i in 0..<10 { cache.insert([Float(i)], for: "t\(i)", encoderID: "e") }
        XCTAssertEqual(cache.count, 3)
        XCTAssertNil(cache.embedding(for: "t6", encoderID: "e"))
        XCTAssertEqual(cache.embedding(for: "t9", encoderID: "e"), [9])
        XCTAssertEqual(cache.embedding(for: "t7", encoderID: "e"), [7])
    }

    func testStore_WrittenThroughAndReadOnMiss() throws {
        let store = MemoryStore()
        let encoder = CountingEncoder()
        _ = try EmbeddingCache(capacity: 10, store: store).encode(["hello"], with: encoder)
        XCTAssertEqual(store.saved.count, 1)
        // a new cache (a reopened session) finds the vector in the store without encoding
        let reopened = EmbeddingCache(capacity: 10, store: store)
        XCTAssertEqual(try reopened.encode(["hello"], with: encoder), [[5, 1]])
        XCTAssertEqual(encoder.encoded, ["hello"])
    }

    func testConcurrentUse_StaysWithinBound() {
        let cache = EmbeddingCache(capacity: 50)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<500 {
                cache.insert([Float(i)], for: "w\(worker)-\(i % 120)", encoderID: "e")
                _ = cache.embedding(for: "w\((worker + 1) % 8)-\(i % 120)", encoderID: "e")
            }
        }
        XCTAssertLessThanOrEqual(cache.count, 50)
    }
}
