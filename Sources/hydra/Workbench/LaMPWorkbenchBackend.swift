import Encoder
import Foundation
import LaMP
import Retrieval
import WorkbenchAPI
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

    func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        switch job {
        case .loadSession: emit(.result(.session(try await loadSession { emit(.progress($0, $1)) })))
        case .retrieve(let user, let question, let k): emit(.result(.retrieved(try await retrieve(userID: user, questionID: question, k: k))))
        case .runPipeline: throw CLIError("running HYDRA from the workbench is not wired yet; use `hydra run`")
        }
    }

    func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> SessionSnapshot {
        progress(0, "resolving \(config.name)")
        let directory = try SessionResolver().dataDirectory(for: config, sessionFile: sessionFile) { line in
            progress(0, line)
        }
        try Task.checkCancellation()
        let dataset = try LaMPDataset.load(directory: directory, task: config.task) { read, total in
            progress(total > 0 ? Double(read) / Double(total) : 0, "loading \(directory.lastPathComponent)")
        }
        try Task.checkCancellation()
        var users: [UserEntry] = []
        for split in dataset.splits {
            let index = UserIndex(questions: split.questions)
            for user in index.users {
                let questions = user.questionIndices.map { i in
                    QuestionEntry(id: split.questions[i].id, input: split.questions[i].input, content: split.questions[i].input, gold: split.golds?[i].output)
                }
                users.append(UserEntry(
                    id: user.id, role: split.split == .train ? .train : .eval,
                    profile: user.profile.map { ProfileEntry(id: $0.id, fields: $0.fields) }, questions: questions))
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
        let (metric, higher) = (dataset.task.family == .classification ? "accuracy" : dataset.task.family == .rating ? "mae" : "rouge-1", dataset.task.family != .rating)
        let task = TaskInfo(name: dataset.task.rawValue, family: "\(dataset.task.family)", primaryMetric: metric, higherIsBetter: higher,
                            profileFields: dataset.task.profileFields, answerField: dataset.task.answerField)
        return SessionSnapshot(title: config.name, task: task, retriever: retriever, users: users)
    }

    func retrieve(userID: String, questionID: String, k: Int) async throws -> [RetrievedHit] {
        guard let userIndex = await state.index(of: userID), let (task, user) = await state.user(userIndex),
              let questionIndex = user.questions.firstIndex(where: { $0.id == questionID }) else { return [] }
        let corpus = user.profile.map { LaMPRetrievalText.corpusText(task: task, item: ProfileItem(id: $0.id, fields: $0.fields)) }
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
            let itemTerms = Set(BM25Tokenizer.whitespace.tokens(LaMPRetrievalText.corpusText(task: task, item: ProfileItem(id: user.profile[hit.index].id, fields: user.profile[hit.index].fields))))
            return RetrievedHit(rank: rank + 1, itemID: user.profile[hit.index].id, score: hit.score,
                                matchedTerms: queryTerms.intersection(itemTerms).sorted())
        }
    }
}

/// The loaded users and their retrieval indexes, built on first use and kept.
private actor LoadedSession {
    private var task: LaMPTask = .movieTag
    private var users: [UserEntry] = []
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

    func index(of id: String) -> Int? { users.firstIndex { $0.id == id } }

    func set(task: LaMPTask, users: [UserEntry]) {
        self.task = task
        self.users = users
        indexes = [:]
    }

    func user(_ index: Int) -> (LaMPTask, UserEntry)? {
        users.indices.contains(index) ? (task, users[index]) : nil
    }

    func index(for user: Int, build: () -> BM25Index) -> BM25Index {
        if let index = indexes[user] { return index }
        let index = build()
        indexes[user] = index
        return index
    }
}
