import HydraBench
import Foundation
import XCTest

@testable import Retrieval

/// Hand-computed cases and the exactness of the dense-row path.
final class BM25EdgeCaseTests: XCTestCase {
    /// rank_bm25's `get_scores`, written the plain way (one pass per query token over all docs).
    private func naiveScores(_ docs: [[String]], _ query: [String], _ p: BM25Parameters = .okapi) -> [Double] {
        let n = docs.count
        let lengths = docs.map(\.count)
        let avgdl = Double(lengths.reduce(0, +)) / Double(n)
        var order: [String] = []
        var df: [String: Int] = [:]
        for doc in docs {
            for t in Set(doc) where df[t] == nil { df[t] = 0 }
            var seen = Set<String>()
            for t in doc where seen.insert(t).inserted {
                if df[t] == 0 { order.append(t) }
                df[t, default: 0] += 1
            }
        }
        var idf: [String: Double] = [:]
        var sum = 0.0
        for t in order {
            let v = log(Double(n) - Double(df[t]!) + 0.5) - log(Double(df[t]!) + 0.5)
            idf[t] = v
            sum += v
        }
        let floor = p.epsilon * sum / Double(order.count)
        for (t, v) in idf where v < 0 { idf[t] = floor }
        var scores = [Double](repeating: 0, count: n)
        for q in query {
            for d in 0..<n {
                let f = Double(docs[d].filter { $0 == q }.count)
                let norm = p.k1 * (1 - p.b + p.b * Double(lengths[d]) / avgdl)
                scores[d] += (idf[q] ?? 0) * (f * (p.k1 + 1) / (f + norm))
            }
        }
        return scores
    }

    func testBM25_DuplicateQueryTokens_CountTwice() {
        let index = BM25Index(documents: ["apple pie", "banana split", "cherry tart"])
        let once = index.scores(query: "apple")
        let twice = index.scores(query: "apple apple")
        XCTAssertGreaterThan(once[0], 0)
        XCTAssertEqual(twice[0], once[0] + once[0])
        XCTAssertEqual(twice[1], 0)
    }

    func testBM25_HandComputedScore_MatchesFormula() {
        // N = 3, "apple" in 1 doc: idf = ln(2.5) - ln(1.5); |D0| = 2, avgdl = 7/3
        let index = BM25Index(documents: ["apple pie", "banana split now", "cherry tart"])
        let idf = log(2.5) - log(1.5)
        let expected = idf * (1.0 * 2.5 / (1.0 + 1.5 * (0.25 + 0.75 * 2.0 / (7.0 / 3.0))))
        XCTAssertEqual(index.scores(query: "apple")[0], expected, accuracy: 1e-15)
    }

    func testBM25_UnknownAndEmptyQuery_ScoreZeroAndKeepCorpusOrder() {
        let index = BM25Index(documents: ["a b", "c d", "e f"])
        XCTAssertEqual(index.scores(query: ""), [0, 0, 0])
        XCTAssertEqual(index.scores(query: "   \n\t "), [0, 0, 0])
        XCTAssertEqual(index.scores(query: "zzz qqq"), [0, 0, 0])
        XCTAssertEqual(index.top(query: "zzz", k: 2).map(\.index), [0, 1])
    }

    func testBM25_EmptyDocuments_ScoreZero() {
        let index = BM25Index(documents: ["", "x y", ""])
        let s = index.scores(query: "x")
        XCTAssertEqual(s[0], 0)
        XCTAssertEqual(s[2], 0)
        XCTAssertGreaterThan(s[1], 0)
        XCTAssertEqual(s, naiveScores([[], ["x", "y"], []], ["x"]))
        XCTAssertEqual(index.top(query: "x", k: 5).map(\.index), [1, 0, 2])
    }

    func testBM25_DegenerateCorpora_DoNotCrash() {
        let empty = BM25Index(documents: [])
        XCTAssertEqual(empty.scores(query: "a"), [])
        XCTAssertEqual(empty.top(query: "a", k: 10), [])
        let blank = BM25Index(documents: ["", " "])
        XCTAssertEqual(blank.scores(query: "a"), [0, 0])
        XCTAssertEqual(blank.vocabularySize, 0)
    }

    func testBM25_SingleDocument_FloorsNegativeIDF() {
        // N = 1, n_t = 1: idf = ln(0.5) - ln(1.5) < 0 for every term, floored to 0.25 × mean idf
        let index = BM25Index(documents: ["only doc here"])
        let raw = log(0.5) - log(1.5)
        XCTAssertEqual(index.averageIDF, raw, accuracy: 1e-15)
        XCTAssertEqual(index.idf(of: "doc")!, 0.25 * raw, accuracy: 1e-15)
        XCTAssertLessThan(index.scores(query: "doc")[0], 0)
        XCTAssertEqual(index.top(query: "doc", k: 3).count, 1)
    }

    func testBM25_AllNegativeIDF_RanksUntouchedDocumentsFirst() {
        // "a" is in 3 of 4 docs and "b" in 4 of 4: both idfs negative, so the mean is negative and
        // so is the floor; documents without "a" keep score 0 and outrank those with it
        let docs = ["a b", "a b", "b", "a b"]
        let index = BM25Index(documents: docs)
        XCTAssertLessThan(index.averageIDF, 0)
        let s = index.scores(query: "a")
        XCTAssertEqual(s, naiveScores(docs.map { $0.split(separator: " ").map(String.init) }, ["a"]))
        XCTAssertEqual(s[2], 0)
        XCTAssertEqual(index.top(query: "a", k: 4).map(\.index), [2, 0, 1, 3])
    }

    func testBM25_TopK_TiesByAscendingIndexAndBounds() {
        let index = BM25Index(documents: ["x", "y", "x", "x", "z"])
        XCTAssertEqual(index.top(query: "x", k: 2).map(\.index), [0, 2])
        XCTAssertEqual(index.top(query: "x", k: 10).map(\.index), [0, 2, 3, 1, 4])
        XCTAssertEqual(index.top(query: "x", k: 0), [])
        XCTAssertEqual(index.top(query: "x", k: -3), [])
    }

    func testBM25_TopK_EqualsFullSort() {
        // 9000 documents span three accumulation blocks
        let corpus = SyntheticCorpus(seed: 5, documents: 9000, queries: 12)
        let index = BM25Index(documents: corpus.documents)
        for q in corpus.queries {
            let s = index.scores(query: q)
            let sorted = s.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && $0 < $1) }
            XCTAssertEqual(index.top(query: q, k: 25).map(\.index), Array(sorted.prefix(25)))
            XCTAssertEqual(index.top(query: q, k: 100).map(\.index), Array(sorted.prefix(100)))
        }
    }

    func testBM25_DenseRows_BitIdenticalToNaiveFormula() {
        // 5000 documents: the most common words are stored as dense rows
        let corpus = SyntheticCorpus(seed: 7, documents: 5000, queries: 8)
        let docs = corpus.documents.map { $0.split(separator: " ").map(String.init) }
        let index = BM25Index(tokenizedDocuments: docs)
        XCTAssertTrue(index.denseRows.contains { $0 >= 0 })
        for q in corpus.queries {
            let tokens = q.split(separator: " ").map(String.init) + ["ba"]
            XCTAssertEqual(index.scores(queryTokens: tokens), naiveScores(docs, tokens))
        }
    }

    func testBM25_ConcurrentQueries_MatchSequential() {
        let corpus = SyntheticCorpus(seed: 11, documents: 500, queries: 64)
        let index = BM25Index(documents: corpus.documents, tokenizer: .lowercasedWhitespace)
        let expected = corpus.queries.map { index.top(query: $0, k: 10) }
        let results = ResultBox(count: corpus.queries.count)
        DispatchQueue.concurrentPerform(iterations: corpus.queries.count) { i in
            results.set(i, index.top(query: corpus.queries[i], k: 10))
        }
        XCTAssertEqual(results.values, expected)
    }

    func testBM25Tokenizer_PythonSplitAndLower() {
        let text = "A\u{00A0}b\u{2003}C\u{1C}d\u{200B}e  É\u{3000}ÀB"
        // U+200B (zero width space) is not whitespace for Python
        XCTAssertEqual(BM25Tokenizer.whitespace.tokens(text), ["A", "b", "C", "d\u{200B}e", "É", "ÀB"])
        XCTAssertEqual(
            BM25Tokenizer.lowercasedWhitespace.tokens(text), ["a", "b", "c", "d\u{200B}e", "é", "àb"])
        // Python's final sigma and full mappings
        XCTAssertEqual(
            BM25Tokenizer.lowercasedWhitespace.tokens("ΟΔΟΣ ΣΑ ΑΣ. Σ İS"),
            ["οδος", "σα", "ας.", "σ", "i\u{307}s"])
        let custom = BM25Tokenizer.custom { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(custom.tokens("x,y,,z"), ["x", "y", "z"])
    }

    func testBM25_TokensCompareByCodePoints_NotCanonicalEquivalence() {
        // "é" precomposed and "e" + combining acute are equal Swift Strings but different tokens
        let index = BM25Index(documents: ["caf\u{E9}", "cafe\u{301}", "other"])
        let s = index.scores(query: "caf\u{E9}")
        XCTAssertGreaterThan(s[0], 0)
        XCTAssertEqual(s[1], 0)
        XCTAssertEqual(index.vocabularySize, 3)
    }
}

/// Collects results written from concurrent iterations at distinct indices.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[BM25Hit]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [BM25Hit]) {
        lock.lock()
        storage[i] = value
        lock.unlock()
    }
    var values: [[BM25Hit]] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
