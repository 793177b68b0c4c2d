import Encoder
import Foundation
import LaMP
import Retrieval
import WorkbenchAPI

/// Retrieval over one user's history, exactly as `hydra retrieve` does it: BM25 over LaMP's
/// corpus texts with the query LaMP extracts from the input, or dense (cosine of sentence
/// embeddings) when the session retrieves densely. Indexes are built on first use and kept.
actor SessionRetriever {
    private let task: LaMPTask
    private let encoder: (any SentenceEncoder)?
    private var bm25: [Int: BM25Index] = [:]
    private var dense: [Int: DenseRetriever] = [:]

    /// - Parameter encoder: set for dense retrieval, nil for BM25.
    init(task: LaMPTask, encoder: (any SentenceEncoder)?) {
        self.task = task
        self.encoder = encoder
    }

    /// The top `k` items of `user`'s history (its position `key` in the session) for `input`.
    func retrieve(input: String, user: UserEntry, key: Int, k: Int) throws -> [RetrievedHit] {
        let items = user.profile.map { ProfileItem(id: $0.id, fields: $0.fields) }
        let corpus = items.map { LaMPRetrievalText.corpusText(task: task, item: $0) }
        let query = LaMPRetrievalText.query(task: task, input: input)
        let hits: [(index: Int, score: Double)]
        if let encoder {
            let index = try dense[key] ?? DenseRetriever(documents: encoder.encode(corpus))
            dense[key] = index
            try Task.checkCancellation()
            hits = try index.topK(query: try encoder.encode([query])[0], k: k).map { ($0.index, Double($0.score)) }
        } else {
            let index = bm25[key] ?? BM25Index(documents: corpus, tokenizer: .whitespace)
            bm25[key] = index
            hits = index.top(query: query, k: k).map { ($0.index, $0.score) }
        }
        let queryTerms = Set(BM25Tokenizer.whitespace.tokens(query))
        return hits.enumerated().map { rank, hit in
            let itemTerms = Set(BM25Tokenizer.whitespace.tokens(corpus[hit.index]))
            return RetrievedHit(
                rank: rank + 1, itemID: items[hit.index].id, score: hit.score,
                matchedTerms: queryTerms.intersection(itemTerms).sorted())
        }
    }
}
