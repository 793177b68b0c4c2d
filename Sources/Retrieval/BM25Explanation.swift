import Foundation

/// One query term's part of a document's BM25 score.
public struct BM25TermScore: Sendable, Hashable {
    /// The term as the index keeps it.
    public var term: String
    /// How often the query holds the term; each occurrence adds `weight` again (rank_bm25 does).
    public var queryCount: Int
    /// Occurrences of the term in the document.
    public var termFrequency: Int
    /// The term's idf after the epsilon floor.
    public var idf: Double
    /// One occurrence's part: idf · f·(k1+1) / (f + k1·(1 − b + b·|D|/avgdl)).
    public var weight: Double
    /// `weight` added `queryCount` times.
    public var contribution: Double
}

/// Why a document scored what it did for a query (Elasticsearch's `_explain` for one document).
public struct BM25Explanation: Sendable, Hashable {
    /// The document's index in the corpus.
    public var document: Int
    /// Its length in tokens, and the corpus average.
    public var documentLength: Int
    public var averageLength: Double
    /// The score exactly as `scores(query:)` and `top(query:k:)` give it, bit for bit.
    public var score: Double
    /// The query terms the document contains, in order of first appearance in the query. Their
    /// contributions add up to `score` (up to the order of float additions when a term repeats).
    public var terms: [BM25TermScore]
}

extension BM25Index {
    /// The per-term breakdown of document `document`'s score for a raw query.
    ///
    /// The index keeps finished contributions, not term frequencies, so the caller passes the
    /// document's text again; the frequencies are counted from it with the index's tokenizer.
    /// - Returns: nil when `document` is out of range or `text` is not that document (its token
    ///   count differs from the indexed one).
    public func explain(query: String, document: Int, text: String) -> BM25Explanation? {
        var documentTermIDs: [Int32] = []
        tokenizer.forEachToken(in: text) { documentTermIDs.append(terms.find($0)) }
        return explain(queryTermIDs: termIDs(query: query), document: document, documentTermIDs: documentTermIDs)
    }

    /// The per-term breakdown for an already tokenized query and document (see
    /// `explain(query:document:text:)`).
    public func explain(queryTokens: [String], document: Int, documentTokens: [String]) -> BM25Explanation? {
        let documentTermIDs = documentTokens.map { token in
            var token = token
            return token.withUTF8 { terms.find($0) }
        }
        return explain(queryTermIDs: termIDs(queryTokens: queryTokens), document: document, documentTermIDs: documentTermIDs)
    }

    private func explain(queryTermIDs: [Int], document d: Int, documentTermIDs: [Int32]) -> BM25Explanation? {
        guard documentLengths.indices.contains(d), documentTermIDs.count == documentLengths[d] else { return nil }
        let queryTerms = Set(queryTermIDs)
        var frequency: [Int: Int] = [:]
        for t in documentTermIDs where t >= 0 && queryTerms.contains(Int(t)) { frequency[Int(t), default: 0] += 1 }
        let normalisation = Self.lengthNormalisation(
            length: documentLengths[d], averageLength: averageDocumentLength, parameters: parameters)

        // the score in the index's order: one addition per query token, from zero
        var score = 0.0
        var byTerm: [Int: Int] = [:]
        var parts: [BM25TermScore] = []
        for t in queryTermIDs {
            guard let f = frequency[t] else { continue }
            let weight = Self.termWeight(idf: idfs[t], frequency: Double(f), normalisation: normalisation, k1: parameters.k1)
            score += weight
            if let i = byTerm[t] {
                parts[i].queryCount += 1
                parts[i].contribution += weight
            } else {
                byTerm[t] = parts.count
                parts.append(BM25TermScore(
                    term: terms.term(t), queryCount: 1, termFrequency: f, idf: idfs[t], weight: weight, contribution: weight))
            }
        }
        return BM25Explanation(
            document: d, documentLength: documentLengths[d], averageLength: averageDocumentLength, score: score, terms: parts)
    }
}
