import Encoder
import Foundation
import LaMP
import Retrieval
import TUI
import Workspace

/// The engine side of the workbench's first screens: loads a session's LaMP data and answers
/// retrievals over the asking user's profile, exactly as `hydra retrieve` does: BM25, or dense
/// (cosine of sentence embeddings) when the session's `retrieval.retriever` is `dense`.
final class LaMPWorkbenchBackend: WorkbenchBackend {
    private let config: SessionConfig
    private let sessionFile: URL?
    private let state = LoadedSession()

    init(config: SessionConfig, sessionFile: URL?) {
        self.config = config
        self.sessionFile = sessionFile
    }

    func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> WorkbenchData {
        progress(0, "resolving \(config.name)")
        let directory = try SessionResolver().dataDirectory(for: config, sessionFile: sessionFile) { line in
            progress(0, line)
        }
        try Task.checkCancellation()
        let dataset = try LaMPDataset.load(directory: directory, task: config.task) { read, total in
            progress(total > 0 ? Double(read) / Double(total) : 0, "loading \(directory.lastPathComponent)")
        }
        try Task.checkCancellation()
        var users: [WorkbenchUser] = []
        for split in dataset.splits {
            let index = UserIndex(questions: split.questions)
            for user in index.users {
                let questions = user.questionIndices.map { split.questions[$0] }
                let golds = split.golds.map { golds in user.questionIndices.map { golds[$0] } }
                users.append(WorkbenchUser(id: user.id, profile: user.profile, questions: questions, golds: golds))
            }
        }
        await state.set(task: dataset.task, users: users)
        if config.retrieval.retriever == "dense" {
            progress(1, "loading the \(config.encoder) encoder")
            let kind = SentenceEncoderKind(rawValue: config.encoder) ?? .minilm
            await state.setEncoder(try kind.makeEncoder(modelsDirectory: Paths.modelsDirectory()))
        }
        progress(1, "loaded")
        let retriever = config.retrieval.retriever == "dense" ? "dense: \(config.encoder)" : "BM25"
        return WorkbenchData(task: dataset.task, users: users, title: config.name, retriever: retriever)
    }

    func retrieve(userIndex: Int, questionIndex: Int, k: Int) async throws -> [RetrievedItem] {
        guard let (task, user) = await state.user(userIndex),
              user.questions.indices.contains(questionIndex) else { return [] }
        let corpus = user.profile.map { LaMPRetrievalText.corpusText(task: task, item: $0) }
        let query = LaMPRetrievalText.query(task: task, input: user.questions[questionIndex].input)
        let hits: [(index: Int, score: Double)]
        if let encoder = await state.encoder {
            let dense = try await state.denseIndex(for: userIndex) { try DenseRetriever(documents: encoder.encode(corpus)) }
            try Task.checkCancellation()
            hits = try dense.topK(query: try encoder.encode([query])[0], k: k).map { ($0.index, Double($0.score)) }
        } else {
            let index = await state.index(for: userIndex) { BM25Index(documents: corpus, tokenizer: .whitespace) }
            hits = index.top(query: query, k: k).map { ($0.index, $0.score) }
        }
        try Task.checkCancellation()
        let queryTerms = Set(BM25Tokenizer.whitespace.tokens(query))
        return hits.enumerated().map { rank, hit in
            let itemTerms = Set(BM25Tokenizer.whitespace.tokens(LaMPRetrievalText.corpusText(task: task, item: user.profile[hit.index])))
            return RetrievedItem(rank: rank + 1, profileIndex: hit.index, score: hit.score,
                                 matchedTerms: queryTerms.intersection(itemTerms).sorted())
        }
    }
}

/// The loaded users and their retrieval indexes, built on first use and kept.
private actor LoadedSession {
    private var task: LaMPTask = .movieTag
    private var users: [WorkbenchUser] = []
    private var indexes: [Int: BM25Index] = [:]
    private var denseIndexes: [Int: DenseRetriever] = [:]
    /// Set when the session retrieves densely.
    private(set) var encoder: (any SentenceEncoder)?

    func setEncoder(_ encoder: any SentenceEncoder) {
        self.encoder = encoder
        denseIndexes = [:]
    }

    func denseIndex(for user: Int, build: () throws -> DenseRetriever) throws -> DenseRetriever {
        if let index = denseIndexes[user] { return index }
        let index = try build()
        denseIndexes[user] = index
        return index
    }

    func set(task: LaMPTask, users: [WorkbenchUser]) {
        self.task = task
        self.users = users
        indexes = [:]
    }

    func user(_ index: Int) -> (LaMPTask, WorkbenchUser)? {
        users.indices.contains(index) ? (task, users[index]) : nil
    }

    func index(for user: Int, build: () -> BM25Index) -> BM25Index {
        if let index = indexes[user] { return index }
        let index = build()
        indexes[user] = index
        return index
    }
}
