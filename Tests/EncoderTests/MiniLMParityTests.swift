import Foundation
import TestSupport
import XCTest
@testable import Encoder

/// Parity with sentence-transformers on the 24 oracle sentences of `minilm_embeddings.json`.
final class MiniLMParityTests: XCTestCase {
    struct Sentence {
        let text: String
        let ids: [Int32]
        let embedding: [Float]
    }

    static let modelDirectory = ReferenceData.modelsDirectory.appendingPathComponent("all-MiniLM-L6-v2")

    /// Loaded once for the whole class (loading maps and copies ~90 MB).
    nonisolated(unsafe) static var sharedEncoder: MiniLMEncoder?
    static func encoder() throws -> MiniLMEncoder {
        if let sharedEncoder { return sharedEncoder }
        let encoder = try MiniLMEncoder(modelDirectory: modelDirectory)
        sharedEncoder = encoder
        return encoder
    }

    static func sentences() throws -> [Sentence] {
        let root = try XCTUnwrap(ReferenceData.json("minilm_embeddings.json") as? [String: Any])
        let items = try XCTUnwrap(root["sentences"] as? [[String: Any]])
        return try items.map { item in
            Sentence(
                text: try XCTUnwrap(item["text"] as? String),
                ids: try XCTUnwrap(item["input_ids"] as? [Int]).map { Int32($0) },
                embedding: try XCTUnwrap(item["embedding"] as? [Double]).map { Float($0) })
        }
    }

    func testTokenizer_AllOracleSentences_IdsIdentical() throws {
        let sentences = try Self.sentences()
        XCTAssertEqual(sentences.count, 24)
        let tokenizer = try Self.encoder().tokenizer
        for (index, sentence) in sentences.enumerated() {
            let ids = tokenizer.encode(sentence.text)
            XCTAssertEqual(ids, sentence.ids, "sentence \(index): \(sentence.text.prefix(60))")
        }
    }

    func testEncoder_AllOracleSentences_EmbeddingsMatch() throws {
        let sentences = try Self.sentences()
        let vectors = try Self.encoder().encode(sentences.map(\.text))
        XCTAssertEqual(vectors.count, sentences.count)
        var worstCosine: Float = 1, worstDiff: Float = 0
        defer { print("MiniLM parity: min cosine \(worstCosine), max abs diff \(worstDiff)") }
        for (index, (vector, sentence)) in zip(vectors, sentences).enumerated() {
            XCTAssertEqual(vector.count, 384)
            let cosine = zip(vector, sentence.embedding).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                / (norm(vector) * norm(sentence.embedding))
            let maxDiff = zip(vector, sentence.embedding).map { abs($0 - $1) }.max() ?? .infinity
            worstCosine = min(worstCosine, cosine)
            worstDiff = max(worstDiff, maxDiff)
            XCTAssertGreaterThanOrEqual(cosine, 0.99999, "sentence \(index)")
            XCTAssertLessThanOrEqual(maxDiff, 1e-4, "sentence \(index)")
        }
    }

    func testEncoder_BatchOrderAndSize_DoNotChangeVectors() throws {
        let texts = try Self.sentences().map(\.text)
        let encoder = try Self.encoder()
        let together = try encoder.encode(texts)
        let alone = try texts.reversed().map { try encoder.encode([$0])[0] }.reversed()
        for (a, b) in zip(together, alone) {
            XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) }.max() ?? 1, 1e-5)
        }
    }

    func testEncoder_ParallelBatches_MatchOneBatchAtATime() throws {
        let texts = try Self.sentences().map(\.text)
        let serial = try MiniLMEncoder(modelDirectory: Self.modelDirectory, batchSize: 4, concurrentBatches: 1)
        let parallel = try MiniLMEncoder(modelDirectory: Self.modelDirectory, batchSize: 4, concurrentBatches: 3)
        let expected = try serial.encode(texts)
        // 24 texts in batches of 4 over 3 workers, and 5 texts cut finer so each worker gets one
        let pairs = Array(zip(try parallel.encode(texts), expected))
            + Array(zip(try parallel.encode(Array(texts.prefix(5))), expected))
        XCTAssertEqual(pairs.count, 29)
        for (got, want) in pairs {
            XCTAssertLessThanOrEqual(zip(got, want).map { abs($0 - $1) }.max() ?? 1, 1e-5)
        }
    }

    func testEncoder_VeryLongAndEmptyText_FiniteUnitVectors() throws {
        let encoder = try Self.encoder()
        let long = Array(repeating: "the quick brown fox", count: 3000).joined(separator: " ")
        XCTAssertEqual(encoder.tokenize(long).count, 256)
        for vector in try encoder.encode([long, "", "\u{0}\u{FFFD}"]) {
            XCTAssertTrue(vector.allSatisfy(\.isFinite))
            XCTAssertEqual(norm(vector), 1, accuracy: 1e-5)
        }
    }

    private func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
