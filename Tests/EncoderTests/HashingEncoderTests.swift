import Basics
import XCTest
@testable import Encoder

final class HashingEncoderTests: XCTestCase {
    private func cosine(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    func testFNV1a64_MatchesPublishedVectors() {
        XCTAssertEqual(FNV1a64.hash(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(FNV1a64.hash("a"), 0xAF63_DC4C_8601_EC8C)
    }

    func testVectors_NormalisedDeterministicAndCaseInsensitive() throws {
        let encoder = HashingEncoder()
        let v = try encoder.encode(["The Quick brown fox", "the quick BROWN fox"])
        XCTAssertEqual(v[0].count, 384)
        XCTAssertEqual(v[0].reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
        XCTAssertEqual(v[0], v[1])
        XCTAssertEqual(try HashingEncoder().encode(["The Quick brown fox"])[0], v[0])
        XCTAssertTrue(v[0].contains { $0 < 0 }, "features are signed")
    }

    func testSimilarTexts_ScoreHigherThanUnrelated() throws {
        let v = try HashingEncoder().encode(["stock markets rally on rate cut", "stock market rallies after rate cut", "my cat sleeps on the sofa"])
        XCTAssertGreaterThan(cosine(v[0], v[1]), cosine(v[0], v[2]) + 0.2)
    }

    func testEmptyText_GivesZeroVector() throws {
        XCTAssertEqual(try HashingEncoder(dimension: 16).encode(["", " ,.; "]), [[Float](repeating: 0, count: 16), [Float](repeating: 0, count: 16)])
    }

    func testIdentifier_NamesSchemeAndDimension() {
        XCTAssertEqual(HashingEncoder().id, "hashing-v1-384")
        XCTAssertNotEqual(HashingEncoder(dimension: 128).id, HashingEncoder().id)
    }
}

final class SentenceEncoderKindTests: XCTestCase {
    func testKinds_HashingAlwaysAvailable_MiniLMMissingNamesFetch() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent/models")
        XCTAssertEqual(try SentenceEncoderKind.hashing.makeEncoder(modelsDirectory: nowhere).dimension, 384)
        XCTAssertThrowsError(try SentenceEncoderKind.minilm.makeEncoder(modelsDirectory: nowhere)) {
            XCTAssertTrue("\($0)".contains("hydra models fetch"))
        }
        XCTAssertEqual(SentenceEncoderKind(rawValue: "minilm"), .minilm)
    }
}
