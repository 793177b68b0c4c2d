import LaMP
import Retrieval

/// The retrieval the backend must match: BM25 over LaMP's corpus texts, LaMP's query.
enum BM25Reference {
    static func top(items: [ProfileItem], input: String, task: LaMPTask, k: Int) -> [String] {
        let index = BM25Index(documents: items.map { LaMPRetrievalText.corpusText(task: task, item: $0) }, tokenizer: .whitespace)
        return index.top(query: LaMPRetrievalText.query(task: task, input: input), k: k).map { items[$0.index].id }
    }
}
