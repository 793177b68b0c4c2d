import Foundation
import LaMP
import TUI
import WorkbenchAPI

/// A deterministic, made-up LaMP_2 session for the benchmark and the demo executable.
///
/// Its `retrieve` scores items by summed term overlap (a stand-in for BM25, not BM25).
public struct SyntheticBackend: WorkbenchBackend {
    public var userCount: Int
    public var profileSize: Int
    /// Seconds the load pretends to take, in ten progress steps.
    public var loadSeconds: Double
    /// Seconds each retrieval spins the CPU (a synthetic heavy engine task).
    public var retrieveBusySeconds: Double
    /// Training steps the synthetic run reports (its labelling spins the CPU between prompts).
    public var runSteps: Int

    public init(userCount: Int = 40, profileSize: Int = 60, loadSeconds: Double = 0, retrieveBusySeconds: Double = 0, runSteps: Int = 20_000) {
        self.userCount = userCount
        self.profileSize = profileSize
        self.loadSeconds = loadSeconds
        self.retrieveBusySeconds = retrieveBusySeconds
        self.runSteps = runSteps
    }

    static let words = [
        "space", "robot", "detective", "murder", "family", "war", "love", "city", "future", "dream",
        "escape", "island", "prison", "heist", "school", "magic", "dragon", "ship", "ocean", "secret",
        "king", "queen", "revenge", "virus", "alien", "time", "machine", "journey", "memory", "storm",
    ]

    /// The session's data (also what `loadSession` returns).
    public func makeData() -> SessionSnapshot {
        let tags = LaMPTask.movieTag.labels ?? ["tag"]
        var users: [UserEntry] = []
        for u in 0..<userCount {
            let size = profileSize / 2 + (u * 7919) % max(1, profileSize)
            var profile: [ProfileEntry] = []
            for i in 0..<size {
                var description = (0..<12).map { j in Self.words[(u * 31 + i * 17 + j * j * 7) % Self.words.count] }
                    .joined(separator: " ")
                if i == 1 { description = "東京の物語 🎬 a quiet story of a " + description }
                profile.append(ProfileEntry(id: "\(u)\(i)", fields: ["description": description, "tag": tags[(u + i) % tags.count]]))
            }
            let questions = (0..<(2 + u % 4)).map { q in
                let words = (0..<10).map { j in Self.words[(u * 13 + q * 11 + j * 5) % Self.words.count] }
                let content = words.joined(separator: " ")
                return QuestionEntry(
                    id: "\(u)-\(q)", input: "Which tag does this movie relate to? description: " + content, content: content,
                    gold: tags[(u + q) % tags.count])
            }
            users.append(UserEntry(id: "u\(1000 + u)", role: u % 3 == 0 ? .eval : .train, profile: profile, questions: questions))
        }
        let task = TaskInfo(
            name: "LaMP_2", family: "classification", primaryMetric: "accuracy", higherIsBetter: true,
            profileFields: LaMPTask.movieTag.profileFields, answerField: LaMPTask.movieTag.answerField)
        return SessionSnapshot(title: "synthetic demo", task: task, retriever: "BM25", users: users)
    }

    public func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        switch job {
        case .loadSession: emit(.result(.session(try await loadSession { emit(.progress($0, $1)) })))
        case .retrieve(let userID, let questionID, let k): emit(.result(.retrieved(try await retrieve(userID: userID, questionID: questionID, k: k))))
        case .runPipeline: try await syntheticRun(emit)
        case .inspect, .counterfactual, .heads, .refitPlan, .refit, .keepRefit, .coldStart, .exportReport:
            throw CancellationError()
        }
    }

    /// Labels (CPU-busy prompts, like an embedded LLM) and then training steps in batches, as
    /// the engine reports them, again and again until cancelled.
    func syntheticRun(_ emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        while true { try await syntheticRound(emit) }
    }

    func syntheticRound(_ emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        emit(.stage(StageUpdate(stage: .labels, state: .running, done: 0, total: 40)))
        for prompt in 1...40 {
            try spin(0.01)
            emit(.stage(StageUpdate(stage: .labels, state: .running, done: prompt, total: 40, tokensPerSecond: 300)))
        }
        emit(.stage(StageUpdate(stage: .labels, state: .done(seconds: 0.4), done: 40, total: 40)))
        emit(.stage(StageUpdate(stage: .training, state: .running, done: 0, total: 2)))
        let series = LossSeriesID(model: "reranker", userID: nil)
        var batch: [LossPoint] = []
        for step in 1...max(1, runSteps) {
            batch.append(LossPoint(series: series, step: step, totalSteps: runSteps, loss: 1 / Float(step).squareRoot()))
            if batch.count == 64 {
                try Task.checkCancellation()
                try spin(0.001)
                emit(.loss(batch))
                batch = []
            }
        }
        emit(.loss(batch))
        emit(.stage(StageUpdate(stage: .training, state: .done(seconds: 1), done: 2, total: 2)))
    }

    func spin(_ seconds: Double) throws {
        let end = MonotonicClock.seconds() + seconds
        var x = 0.0
        while MonotonicClock.seconds() < end {
            try Task.checkCancellation()
            for i in 0..<1_000 { x += Double(i).squareRoot() }
        }
        if x < 0 { print(x) }
    }

    func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> SessionSnapshot {
        for step in 0..<10 {
            progress(Double(step) / 10, "reading users (\(step * userCount / 10)/\(userCount))")
            if loadSeconds > 0 { try await Task.sleep(nanoseconds: UInt64(loadSeconds / 10 * 1e9)) }
        }
        progress(1, "done")
        return makeData()
    }

    func retrieve(userID: String, questionID: String, k: Int) async throws -> [RetrievedHit] {
        if retrieveBusySeconds > 0 {
            let end = MonotonicClock.seconds() + retrieveBusySeconds
            var x = 0.0
            while MonotonicClock.seconds() < end {
                try Task.checkCancellation()
                for i in 0..<10_000 { x += Double(i).squareRoot() }
            }
            if x < 0 { return [] }
        }
        let data = makeData()
        guard let user = data.users.first(where: { $0.id == userID }), let question = user.questions.first(where: { $0.id == questionID })
        else { return [] }
        let query = Set(Self.tokens(question.input))
        var scored: [(Int, Double, [String])] = []
        for (i, item) in user.profile.enumerated() {
            let tokens = Self.tokens(item["description"] + " " + item["tag"])
            let matched = query.filter { tokens.contains($0) }.sorted()
            let score = tokens.reduce(0.0) { $0 + (query.contains($1) ? 1.0 : 0) } / Double(1 + tokens.count) * 10
            if score > 0 { scored.append((i, score, matched)) }
        }
        scored.sort { ($0.1, -$0.0) > ($1.1, -$1.0) }
        return scored.prefix(k).enumerated().map { rank, hit in
            RetrievedHit(rank: rank + 1, itemID: user.profile[hit.0].id, score: hit.1, matchedTerms: hit.2)
        }
    }

    static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
