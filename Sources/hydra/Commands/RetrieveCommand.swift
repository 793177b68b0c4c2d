import ArgumentParser
import Encoder
import EngineBackend
import Foundation
import LaMP
import Retrieval
import Workspace

/// `hydra retrieve`: BM25 (or dense, cosine) top-k over the asking user's own profile, as LaMP and
/// HYDRA run it.
struct RetrieveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Retrieve the top-k profile items for one question (BM25 or dense over the user's profile).")

    @Option(help: "A LaMP dataset directory.") var data: String
    @Option(help: "The split holding the question.") var split: String = "dev"
    @Option(help: "The question id.") var question: String
    @Option(parsing: .unconditional, help: "How many items to return.") var k: Int = 10
    @Option(help: "The task, when it cannot be read from the data.") var task: String?
    @Option(help: "bm25 (LaMP's) or dense (cosine of sentence embeddings).") var retriever: String = "bm25"
    @Option(help: "The encoder for --retriever dense: minilm or hashing.") var encoder: String = "minilm"
    @Flag(help: "Print JSON: {query, results: [{rank, index, id, score}]}.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1 (the number of items to return), not \(k)") }
        guard ["bm25", "dense"].contains(retriever) else {
            throw ValidationError("--retriever must be bm25 or dense, not \"\(retriever)\"")
        }
        guard SentenceEncoderKind(rawValue: encoder) != nil else {
            throw ValidationError("--encoder must be minilm or hashing, not \"\(encoder)\"")
        }
        guard Split(rawValue: split) != nil else {
            throw ValidationError("--split must be one of \(Split.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    struct Result: Encodable {
        var rank: Int
        var index: Int
        var id: String
        var score: Double
    }

    func run() async throws {
        try await CLI.guarded {
            let split = Split(rawValue: self.split)!
            let dataset = try DatasetLoading.load(data, task: task.map { try LaMPTask.parse($0) }, splits: [split])
            guard let questions = dataset[split]?.questions else {
                throw ValidationError("\(data) has no \(split.rawValue)_questions.json")
            }
            guard let asked = questions.first(where: { $0.id == question }) else {
                throw ValidationError("no question with id \"\(ErrorText.clipped(question))\" in \(split.rawValue)_questions.json")
            }
            let task = dataset.task
            let query = LaMPRetrievalText.query(task: task, input: asked.input)
            let corpus = asked.profile.map { LaMPRetrievalText.corpusText(task: task, item: $0) }
            let hits: [(index: Int, score: Double)]
            if retriever == "dense" {
                let model = try SentenceEncoderKind(rawValue: encoder)!.makeVerifiedEncoder(store: ModelStore(directory: Paths.modelsDirectory()))
                let vectors = try model.encode(corpus + [query])
                let dense = try DenseRetriever(documents: Array(vectors.dropLast()))
                hits = try dense.topK(query: vectors[vectors.count - 1], k: k).map { ($0.index, Double($0.score)) }
            } else {
                hits = BM25Index(documents: corpus, tokenizer: .whitespace).top(query: query, k: k).map { ($0.index, $0.score) }
            }
            let results = hits.enumerated().map { rank, hit in
                Result(rank: rank + 1, index: hit.index, id: asked.profile[hit.index].id, score: hit.score)
            }
            if json {
                struct Output: Encodable { var query: String; var results: [Result] }
                return try CLI.printJSON(Output(query: query, results: results))
            }
            CLI.show("query: \(query)\n")
            var table = TextTable(header: ["rank", "score", "index", "id", "item"], rightAligned: [0, 1, 2])
            for result in results {
                let text = corpus[result.index]
                let snippet = text.count > 70 ? String(text.prefix(69)) + "…" : text
                table.rows.append(["\(result.rank)", String(format: "%.4f", result.score), "\(result.index)", result.id, snippet])
            }
            CLI.show(table.render())
        }
    }
}
