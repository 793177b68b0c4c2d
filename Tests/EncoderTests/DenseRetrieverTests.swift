import XCTest
@testable import Encoder
import Retrieval

final class DenseRetrieverTests: XCTestCase {
    func testTopK_OrdersByCosineThenAscendingIndex() throws {
        let retriever = try DenseRetriever(documents: [[1, 0], [0, 1], [2, 0], [0.6, 0.8], [-1, 0]])
        let hits = try retriever.topK(query: [1, 0], k: 4)
        XCTAssertEqual(hits.map(\.index), [0, 2, 3, 1])
        XCTAssertEqual(hits[0].score, 1, accuracy: 1e-6)
        XCTAssertEqual(hits[2].score, 0.6, accuracy: 1e-6)
    }

    func testTopK_KLargerThanCorpusOrZero() throws {
        let retriever = try DenseRetriever(documents: [[1, 0], [0, 1]])
        XCTAssertEqual(try retriever.topK(query: [0, 1], k: 10).map(\.index), [1, 0])
        XCTAssertEqual(try retriever.topK(query: [0, 1], k: 0), [])
        XCTAssertEqual(try DenseRetriever(documents: []).topK(query: [1], k: 3), [])
    }

    func testZeroVectors_ScoreZero() throws {
        let retriever = try DenseRetriever(documents: [[0, 0], [1, 1]])
        XCTAssertEqual(try retriever.scores(query: [1, 0])[0], 0)
        XCTAssertEqual(try retriever.scores(query: [0, 0]), [0, 0])
    }

    func testDimensionMismatch_NamesDocumentOrQuery() throws {
        XCTAssertThrowsError(try DenseRetriever(documents: [[1, 0], [1]])) {
            XCTAssertEqual($0 as? DenseRetrievalError, .dimensionMismatch(index: 1, expected: 2, actual: 1))
        }
        XCTAssertThrowsError(try DenseRetriever(documents: [[1, 0]]).topK(query: [1, 0, 0], k: 1)) {
            XCTAssertEqual($0 as? DenseRetrievalError, .dimensionMismatch(index: -1, expected: 2, actual: 3))
        }
    }

    func testWithHashingEncoder_FindsTheMatchingProfileItem() throws {
        let items = ["recipe for chocolate cake", "football match report", "new smartphone review"]
        let encoder = HashingEncoder()
        let retriever = try DenseRetriever(documents: try encoder.encode(items))
        let hits = try retriever.topK(query: try encoder.encode(["review of a smartphone"])[0], k: 1)
        XCTAssertEqual(hits.first?.index, 2)
    }
}
