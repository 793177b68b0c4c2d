import ArgumentParser
import Foundation
import LaMP
import Retrieval

/// `hydra retrieve`: BM25 top-k over the asking user's own profile, as LaMP and HYDRA run it.
struct RetrieveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve",
        abstract: "Retrieve the top-k profile items for one question (BM25 over the user's profile).")

    @Option(help: "A LaMP dataset directory.") var data: String
    @Option(help: "The split holding the question.") var split: String = "dev"
    @Option(help: "The question id.") var question: String
    @Option(help: "How many items to return.") var k: Int = 10
    @Option(help: "The task, when it cannot be read from the data.") var task: String?
    @Flag(help: "Print JSON: {query, results: [{rank, index, id, score}]}.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
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
                throw ValidationError("no question with id \"\(question)\" in \(split.rawValue)_questions.json")
            }
            let task = dataset.task
            let query = LaMPRetrievalText.query(task: task, input: asked.input)
            let corpus = asked.profile.map { LaMPRetrievalText.corpusText(task: task, item: $0) }
            let index = BM25Index(documents: corpus, tokenizer: .whitespace)
            let hits = index.top(query: query, k: k)
            let results = hits.enumerated().map { rank, hit in
                Result(rank: rank + 1, index: hit.index, id: asked.profile[hit.index].id, score: hit.score)
            }
            if json {
                struct Output: Encodable { var query: String; var results: [Result] }
                return try CLI.printJSON(Output(query: query, results: results))
            }
            print("query: \(query)\n")
            var table = TextTable(header: ["rank", "score", "index", "id", "item"], rightAligned: [0, 1, 2])
            for result in results {
                let text = corpus[result.index]
                let snippet = text.count > 70 ? String(text.prefix(69)) + "…" : text
                table.rows.append(["\(result.rank)", String(format: "%.4f", result.score), "\(result.index)", result.id, snippet])
            }
            print(table.render())
        }
    }
}
