import HydraBench
import Foundation
import TestSupport
import XCTest
import Workspace

@testable import Retrieval

/// Parity with rank_bm25 0.2.2 on corpus A (`bm25_okapi_scores.json`, `bm25_corpus_A.json`).
final class BM25ReferenceTests: XCTestCase {
    private struct Oracle {
        let documents: [String]
        let corpusQueries: [String]
        let scores: [String: Any]
        let corpus: [String: Any]
    }

    private func oracle() throws -> Oracle {
        let scores = try XCTUnwrap(try ReferenceData.json("bm25_okapi_scores.json") as? [String: Any])
        let corpus = try XCTUnwrap(try ReferenceData.json("bm25_corpus_A.json") as? [String: Any])
        return Oracle(
            documents: try XCTUnwrap(corpus["docs"] as? [String]),
            corpusQueries: try XCTUnwrap(corpus["queries"] as? [String]),
            scores: scores, corpus: corpus)
    }

    /// The file's scores are printed with 6 decimals (idf with 9), so a value matches when it is
    /// within half a unit of the last printed digit (plus 1e-9 relative).
    private func assertRounded(
        _ ours: Double, _ printed: Double, decimals: Int, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let tolerance = 0.5 * pow(10, -Double(decimals)) + 1e-9 * abs(printed) + 1e-12
        XCTAssertLessThanOrEqual(abs(ours - printed), tolerance, what, file: file, line: line)
    }

    func testBM25_CorpusStatistics_MatchRankBM25() throws {
        let o = try oracle()
        let index = BM25Index(documents: o.documents, tokenizer: .lowercasedWhitespace)
        XCTAssertEqual(index.count, try XCTUnwrap(o.scores["N"] as? Int))
        let avgdl = try XCTUnwrap(o.scores["avgdl"] as? Double)
        let meanIDF = try XCTUnwrap(o.scores["average_idf"] as? Double)
        let floor = try XCTUnwrap(o.scores["epsilon_floor_value"] as? Double)
        XCTAssertEqual(index.averageDocumentLength, avgdl, accuracy: 1e-12 * avgdl)
        XCTAssertEqual(index.averageIDF, meanIDF, accuracy: 1e-12 * meanIDF)
        XCTAssertEqual(0.25 * index.averageIDF, floor, accuracy: 1e-12 * floor)
    }

    func testBM25_ReferenceQueries_ScoresIDFAndTop10Match() throws {
        let o = try oracle()
        let index = BM25Index(documents: o.documents, tokenizer: .lowercasedWhitespace)
        let queries = try XCTUnwrap(o.scores["queries"] as? [[String: Any]])
        XCTAssertEqual(queries.count, 12)
        for q in queries {
            let text = try XCTUnwrap(q["query"] as? String)
            let qi = try XCTUnwrap(q["query_index"] as? Int)
            XCTAssertEqual(o.corpusQueries[qi], text)
            XCTAssertEqual(BM25Tokenizer.lowercasedWhitespace.tokens(text), q["tokens"] as? [String])

            // the file lists 0 for tokens no document contains
            for (term, value) in try XCTUnwrap(q["idf"] as? [String: Double]) {
                assertRounded(index.idf(of: term) ?? 0, value, decimals: 9, "idf \(term)")
            }
            let expected = try XCTUnwrap(q["scores"] as? [Double])
            let ours = index.scores(query: text)
            XCTAssertEqual(ours.count, expected.count)
            for (d, (a, e)) in zip(ours, expected).enumerated() {
                assertRounded(a, e, decimals: 6, "query \(qi) doc \(d)")
            }
            let hits = index.top(query: text, k: 10)
            XCTAssertEqual(hits.map(\.index), q["top10"] as? [Int], "query \(qi) top-10")
            let topScores = try XCTUnwrap(q["top10_scores"] as? [Double])
            for (h, e) in zip(hits, topScores) { assertRounded(h.score, e, decimals: 6, "top score") }
            // the hits carry exactly the scores of the full vector
            for h in hits { XCTAssertEqual(h.score, ours[h.index]) }
        }
    }

    func testBM25_PreTokenizedInput_EqualsStringInput() throws {
        let o = try oracle()
        let tokenizer = BM25Tokenizer.lowercasedWhitespace
        let byText = BM25Index(documents: o.documents, tokenizer: tokenizer)
        let byTokens = BM25Index(tokenizedDocuments: o.documents.map(tokenizer.tokens))
        for q in o.corpusQueries.prefix(50) {
            XCTAssertEqual(byText.scores(query: q), byTokens.scores(queryTokens: tokenizer.tokens(q)))
            XCTAssertEqual(byText.top(query: q, k: 10), byTokens.top(queryTokens: tokenizer.tokens(q), k: 10))
        }
    }

    func testSyntheticCorpus_CaseA_RegeneratesReferenceFile() throws {
        let o = try oracle()
        let a = SyntheticCorpus.caseA
        let corpus = SyntheticCorpus(seed: a.seed, documents: a.documents, queries: a.queries)
        XCTAssertEqual(corpus.documents, o.documents)
        XCTAssertEqual(corpus.queries, o.corpusQueries)
        let docsDigest = sha256(corpus.documents.joined(separator: "\n"))
        let queriesDigest = sha256(corpus.queries.joined(separator: "\n"))
        XCTAssertEqual(docsDigest, o.corpus["sha256_docs"] as? String)
        XCTAssertEqual(queriesDigest, o.corpus["sha256_queries"] as? String)
    }

}

/// The hex digest of a string's UTF-8 bytes (the project's own SHA-256, from Workspace).
private func sha256(_ text: String) -> String {
    var hasher = Workspace.SHA256()
    hasher.update(Array(text.utf8))
    return hasher.hexDigest()
}
