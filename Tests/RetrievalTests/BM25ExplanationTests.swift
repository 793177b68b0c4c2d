import Foundation
import TestSupport
import XCTest

@testable import Retrieval

/// `explain` breaks a score into per-term parts that add up to what `top`/`scores` give.
final class BM25ExplanationTests: XCTestCase {
    func testExplain_EveryReferenceDocumentAndQuery_PartsSumToTheScore() throws {
        let corpus = try XCTUnwrap(try ReferenceData.json("bm25_corpus_A.json") as? [String: Any])
        let documents = try XCTUnwrap(corpus["docs"] as? [String])
        let queries = try XCTUnwrap(corpus["queries"] as? [String])
        let tokenizer = BM25Tokenizer.lowercasedWhitespace
        let index = BM25Index(documents: documents, tokenizer: tokenizer)
        // 300 documents × 1000 queries: tokenized once, not 1000 times (the test runs unoptimized)
        let documentTokens = documents.map(tokenizer.tokens)
        // 300 000 explanations: checked by hand and reported once, not through 10⁶ XCTAsserts
        var explained = 0
        var failures: [String] = []
        for query in queries {
            let scores = index.scores(query: query)
            let queryTokens = tokenizer.tokens(query)
            for d in documents.indices {
                guard let explanation = index.explain(queryTokens: queryTokens, document: d, documentTokens: documentTokens[d]) else {
                    failures.append("query \"\(query)\" doc \(d): no explanation")
                    continue
                }
                let sum = explanation.terms.reduce(0) { $0 + $1.contribution }
                if explanation.score != scores[d] { failures.append("query \"\(query)\" doc \(d): score \(explanation.score) ≠ \(scores[d])") }
                if abs(sum - scores[d]) > 1e-9 * max(abs(scores[d]), 1e-300) {
                    failures.append("query \"\(query)\" doc \(d): parts sum to \(sum), score \(scores[d])")
                }
                if explanation.documentLength != index.documentLengths[d] || explanation.terms.contains(where: { $0.termFrequency < 1 }) {
                    failures.append("query \"\(query)\" doc \(d): length or frequencies wrong")
                }
                explained += 1
            }
        }
        XCTAssertEqual(failures, [], "\(failures.count) failures")
        XCTAssertEqual(explained, documents.count * queries.count)
        XCTAssertGreaterThan(explained, 100)
        // the string form tokenizes as the index does
        for (d, text) in documents.enumerated() {
            XCTAssertEqual(
                index.explain(query: queries[0], document: d, text: text),
                index.explain(queryTokens: tokenizer.tokens(queries[0]), document: d, documentTokens: documentTokens[d]))
        }
    }

    /// Corpus "cat dog", "cat cat fish", "bird": N 3, avgdl 2. Raw idf ln((3 − n + .5)/(n + .5)):
    /// cat (n 2) ln(0.6) < 0, the others ln(5/3) = L. Mean idf (−L + 3L)/4 = L/2, so cat's idf is
    /// the floor 0.25 · L/2 = L/8. Document 1 (|D| 3): k1(1 − b + b·3/2) = 1.5 · 1.375 = 2.0625;
    /// cat (f 2): L/8 · 2·2.5/(2 + 2.0625) = 0.0785885575…; fish (f 1): L · 2.5/3.0625 =
    /// 0.4170005092…; sum 0.4955890667….
    func testExplain_HandCheckedSmallCorpus() throws {
        let documents = ["cat dog", "cat cat fish", "bird"]
        let index = BM25Index(documents: documents)
        let L = log(5.0 / 3.0)
        let explanation = try XCTUnwrap(index.explain(query: "cat fish", document: 1, text: documents[1]))
        XCTAssertEqual(explanation.documentLength, 3)
        XCTAssertEqual(explanation.averageLength, 2)
        XCTAssertEqual(explanation.terms.map(\.term), ["cat", "fish"])
        XCTAssertEqual(explanation.terms.map(\.termFrequency), [2, 1])
        XCTAssertEqual(explanation.terms[0].idf, L / 8, accuracy: 1e-15)
        XCTAssertEqual(explanation.terms[1].idf, L, accuracy: 1e-15)
        XCTAssertEqual(explanation.terms[0].contribution, 0.0785885575024601, accuracy: 1e-15)
        XCTAssertEqual(explanation.terms[1].contribution, 0.4170005091967271, accuracy: 1e-15)
        XCTAssertEqual(explanation.score, 0.49558906669918723, accuracy: 1e-15)
        XCTAssertEqual(explanation.score, index.top(query: "cat fish", k: 1)[0].score)

        // a repeated query term counts each time (rank_bm25 does): document 0, |D| 2, norm 1.5
        let repeated = try XCTUnwrap(index.explain(query: "cat cat dog unknown", document: 0, text: documents[0]))
        XCTAssertEqual(repeated.terms.map(\.term), ["cat", "dog"])
        XCTAssertEqual(repeated.terms.map(\.queryCount), [2, 1])
        XCTAssertEqual(repeated.terms[0].weight, L / 8 * 2.5 / 2.5, accuracy: 1e-15)
        XCTAssertEqual(repeated.terms[0].contribution, 2 * L / 8, accuracy: 1e-15)
        XCTAssertEqual(repeated.score, index.scores(query: "cat cat dog unknown")[0])
        XCTAssertEqual(repeated.score, 2 * L / 8 + L, accuracy: 1e-15)

        // a document sharing no term explains to nothing; another text is refused
        XCTAssertEqual(try XCTUnwrap(index.explain(query: "cat", document: 2, text: documents[2])).terms, [])
        XCTAssertNil(index.explain(query: "cat", document: 2, text: "bird bird"))
        XCTAssertNil(index.explain(query: "cat", document: 3, text: "bird"))
        let tokenized = index.explain(queryTokens: ["cat", "fish"], document: 1, documentTokens: ["cat", "cat", "fish"])
        XCTAssertEqual(tokenized, explanation)
    }
}
