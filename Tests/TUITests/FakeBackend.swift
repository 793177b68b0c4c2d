import Foundation
import TUI
import WorkbenchAPI

/// A backend for tests: fixed small data, an optional load delay and failure, term-overlap
/// "retrieval", and a scripted run (stages, loss batches, a report) that can be slowed down,
/// failed at a stage, or cancelled.
struct FakeBackend: WorkbenchBackend {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var snapshot: SessionSnapshot = FakeBackend.sample
    var loadDelay: Double = 0
    var loadFailure: String?
    /// Seconds between the run's training steps (0: as fast as possible).
    var stepDelay: Double = 0
    /// Training steps per series.
    var stepsPerSeries = 40
    /// The stage whose start throws.
    var failAt: RunStage?
    /// The error every counterfactual throws.
    var failCounterfactual: String?

    func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        switch job {
        case .loadSession:
            let steps = 4
            for step in 0..<steps {
                emit(.progress(Double(step) / Double(steps), "reading user \(step + 1)"))
                if loadDelay > 0 { try await Task.sleep(nanoseconds: UInt64(loadDelay / Double(steps) * 1e9)) }
            }
            if let loadFailure { throw Failure(description: loadFailure) }
            emit(.result(.session(snapshot)))
        case .retrieve(let userID, let questionID, let k):
            emit(.result(.retrieved(FakeBackend.overlap(snapshot, userID: userID, questionID: questionID, k: k))))
        case .runPipeline:
            try await fakeRun(emit)
        case .inspect(let questionID):
            guard let report = FakeBackend.question(snapshot, questionID) else {
                throw Failure(description: "no question \"\(questionID)\" in this session")
            }
            emit(.result(.question(report)))
        case .counterfactual(let questionID, let itemID, let kind):
            if let failCounterfactual { throw Failure(description: failCounterfactual) }
            emit(.result(.counterfactual(CounterfactualReport(
                questionID: questionID, itemID: itemID, kind: kind, before: "sci-fi", after: kind == .itemAlone ? "comedy" : "sci-fi",
                metricBefore: 1, metricAfter: kind == .itemAlone ? 0 : 1, candidatesAfter: [], llmCalls: 1))))
        case .heads:
            emit(.result(.heads(FakeBackend.heads(snapshot))))
        case let .refitPlan(userID, edit):
            emit(.result(.refitPlan(FakeBackend.plan(snapshot, userID, edit))))
        case let .refit(userID, edit):
            emit(.result(.refit(FakeBackend.refit(snapshot, userID, edit))))
        case .keepRefit(let userID):
            emit(.result(.keptRefit(userID: userID)))
        case .coldStart(let userIDs, _, _):
            emit(.result(.coldStart(FakeBackend.coldStart(userIDs))))
        case let .exportReport(_, directory, _):
            emit(.result(.reportWritten([directory + "/README.md", directory + "/loss.svg"])))
        }
    }

    func fakeRun(_ emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        for stage in RunStage.allCases {
            try Task.checkCancellation()
            let total = stage == .training ? 2 : 4
            emit(.stage(StageUpdate(stage: stage, state: .running, done: 0, total: total)))
            if stage == failAt { throw Failure(description: "LLM server at http://127.0.0.1:9/v1 did not answer") }
            if stage == .training || stage == .fit {
                let series = stage == .training
                    ? [LossSeriesID(model: "reranker", userID: nil), LossSeriesID(model: "adapter", userID: nil)]
                    : FakeBackend.evalUsers(snapshot).flatMap { [LossSeriesID(model: "reranker", userID: $0), LossSeriesID(model: "adapter", userID: $0)] }
                for id in series {
                    var batch: [LossPoint] = []
                    for step in 1...stepsPerSeries {
                        try Task.checkCancellation()
                        batch.append(LossPoint(series: id, step: step, totalSteps: stepsPerSeries, loss: FakeBackend.loss(step)))
                        if batch.count == 8 {
                            emit(.loss(batch))
                            batch = []
                        }
                        if stepDelay > 0 { try await Task.sleep(nanoseconds: UInt64(stepDelay * 1e9)) }
                    }
                    if !batch.isEmpty { emit(.loss(batch)) }
                }
            }
            emit(.stage(StageUpdate(stage: stage, state: .running, done: total, total: total, tokensPerSecond: stage == .labels ? 120 : nil)))
            emit(.stage(StageUpdate(stage: stage, state: .done(seconds: 0.5), done: total, total: total)))
        }
        emit(.note("evaluated 3 questions"))
        var users = snapshot.users
        for i in users.indices where users[i].role == .eval { users[i].hasHeads = true }
        emit(.result(.run(FakeBackend.report, users: users)))
    }

    /// A report for `questionID`: the overlap ranking as BM25, the global head reversing the
    /// last two, the user's head promoting the last item to first; three candidates.
    static func question(_ snapshot: SessionSnapshot, _ questionID: String) -> QuestionReport? {
        guard let user = snapshot.users.first(where: { $0.questions.contains { $0.id == questionID } }),
            let question = user.questions.first(where: { $0.id == questionID })
        else { return nil }
        let hits = overlap(snapshot, userID: user.id, questionID: questionID, k: 10)
        let n = hits.count
        let personalHeads = user.role == .eval
        let items = hits.enumerated().map { i, hit -> RankedEntry in
            let baseRank = (i >= n - 2 && n >= 2) ? (i == n - 1 ? n - 1 : n) : i + 1
            let personalRank = i == n - 1 ? 1 : i + 2
            let terms = hit.matchedTerms.map {
                TermContribution(term: $0, termFrequency: 1, documentLength: 10, averageLength: 9.5, idf: 1.0, contribution: 1.25)
            }
            return RankedEntry(
                itemID: hit.itemID, bm25Rank: hit.rank, bm25Score: hit.score, terms: terms, denseCosine: 0.5 - Double(i) * 0.1,
                baseScore: 0.9 - Double(baseRank) * 0.1, personalScore: personalHeads ? 0.95 - Double(personalRank) * 0.1 : nil,
                baseRank: baseRank, personalRank: personalHeads ? personalRank : nil, inPersonalPrompt: personalHeads && personalRank <= 2,
                inBasePrompt: baseRank <= 2, trainingLabel: i == 0 ? 1 : nil, answerAlone: i == 0 ? "sci-fi" : nil)
        }
        let gold = question.gold ?? ""
        let candidates = [
            CandidateEntry(text: "sci-fi", baseScore: 0.4, personalScore: 0.8, metric: gold == "sci-fi" ? 1 : 0),
            CandidateEntry(text: "comedy", baseScore: 0.7, personalScore: 0.3, metric: gold == "comedy" ? 1 : 0),
            CandidateEntry(text: "romance", baseScore: 0.2, personalScore: 0.1, metric: gold == "romance" ? 1 : 0),
        ]
        let personalPick = personalHeads ? "sci-fi" : "comedy"
        let agreement = [
            RankingAgreement(first: "bm25", second: "base", kendallTau: 0.67, rbo: 0.81),
            RankingAgreement(first: "bm25", second: "personal", kendallTau: 0.33, rbo: 0.55),
            RankingAgreement(first: "base", second: "personal", kendallTau: 0.0, rbo: 0.47),
        ]
        let outputs = [
            MethodOutput(method: "zero-shot", prompt: question.input, itemIDs: [], answer: "comedy", metric: gold == "comedy" ? 1 : 0),
            MethodOutput(method: "rag", prompt: "[rag] " + question.input, itemIDs: Array(hits.prefix(2).map(\.itemID)), answer: "sci-fi", metric: gold == "sci-fi" ? 1 : 0),
            MethodOutput(method: "hydra-base", prompt: "[base] " + question.input, itemIDs: items.filter(\.inBasePrompt).map(\.itemID), answer: "comedy", metric: gold == "comedy" ? 1 : 0),
            MethodOutput(method: "hydra", prompt: "[personal] " + question.input, itemIDs: items.filter(\.inPersonalPrompt).map(\.itemID), answer: personalPick, metric: gold == personalPick ? 1 : 0),
        ]
        return QuestionReport(
            questionID: questionID, userID: user.id, input: question.input, gold: gold, metric: "accuracy", higherIsBetter: true,
            items: items, dense: hits.reversed().enumerated().map { RetrievedHit(rank: $0 + 1, itemID: $1.itemID, score: 0.5, matchedTerms: []) },
            agreement: agreement, userAgreement: agreement, candidates: candidates, basePick: "comedy", personalPick: personalPick,
            baseMetric: gold == "comedy" ? 1 : 0, personalMetric: gold == personalPick ? 1 : 0, outputs: outputs,
            hasPersonalHeads: personalHeads, counterfactualCalls: 2)
    }

    static func loss(_ step: Int) -> Float { 1 / Float(step).squareRoot() + 0.05 * Float(step % 3) }

    static func evalUsers(_ snapshot: SessionSnapshot) -> [String] { snapshot.users.filter { $0.role == .eval }.map(\.id) }

    /// Items ranked by how many distinct question words they contain.
    static func overlap(_ snapshot: SessionSnapshot, userID: String, questionID: String, k: Int) -> [RetrievedHit] {
        guard let user = snapshot.users.first(where: { $0.id == userID }),
            let question = user.questions.first(where: { $0.id == questionID })
        else { return [] }
        let query = Set(words(question.input))
        let scored = user.profile.enumerated().compactMap { i, item -> (Int, [String])? in
            let matched = query.intersection(words(item.fields.values.sorted().joined(separator: " "))).sorted()
            return matched.isEmpty ? nil : (i, matched)
        }.sorted { ($0.1.count, -$0.0) > ($1.1.count, -$1.0) }
        return scored.prefix(k).enumerated().map { rank, hit in
            RetrievedHit(rank: rank + 1, itemID: user.profile[hit.0].id, score: Double(hit.1.count) * 1.25, matchedTerms: hit.1)
        }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    static func item(_ id: String, _ tag: String, _ description: String) -> ProfileEntry {
        ProfileEntry(id: id, fields: ["tag": tag, "description": description])
    }

    static let task = TaskInfo(
        name: "LaMP_2", family: "classification", primaryMetric: "accuracy", higherIsBetter: true,
        profileFields: ["tag", "description"], answerField: "tag")

    /// Three LaMP_2 users; one has CJK and emoji text, one has no questions.
    static let sample: SessionSnapshot = {
        let alice = [
            item("a1", "sci-fi", "A crew of explorers travels through a wormhole in space"),
            item("a2", "comedy", "Two friends run a failing pizza shop in Naples"),
            item("a3", "sci-fi", "A robot learns to love on a dying space station"),
            item("a4", "romance", "東京の夏 🎆 two strangers meet at a summer festival"),
        ]
        let bob = [
            item("b1", "action", "A retired agent returns for one last heist"),
            item("b2", "dystopia", "A city where memory is sold on the street"),
        ]
        let carol = [item("c1", "classic", "A silent film star faces the arrival of sound")]
        func question(_ id: String, _ text: String, gold: String) -> QuestionEntry {
            QuestionEntry(id: id, input: "Which tag does this movie relate to? description: " + text, content: text, gold: gold)
        }
        return SessionSnapshot(title: "demo", task: task, retriever: "BM25", users: [
            UserEntry(id: "310", role: .eval, profile: alice, questions: [
                question("q310a", "A lonely robot drifts through space", gold: "sci-fi"),
                question("q310b", "A pizza chef enters a contest", gold: "comedy"),
            ]),
            UserEntry(id: "42", role: .eval, profile: bob, questions: [question("q42", "An agent plans a heist in a city", gold: "action")]),
            UserEntry(id: "1007", role: .train, profile: carol, questions: []),
        ])
    }()

    static let sampleReport = RunReport(
        primaryMetric: "accuracy", higherIsBetter: true,
        methodOrder: ["zero-shot", "icl-random", "rag", "hydra-reranker", "hydra-adapter", "hydra", "hydra-base"],
        methods: [
            "zero-shot": ["accuracy": 0.042, "f1": 0.007], "icl-random": ["accuracy": 0.271, "f1": 0.191],
            "rag": ["accuracy": 0.479, "f1": 0.342], "hydra-reranker": ["accuracy": 0.604, "f1": 0.384],
            "hydra-adapter": ["accuracy": 0.5, "f1": 0.342], "hydra": ["accuracy": 0.604, "f1": 0.385],
            "hydra-base": ["accuracy": 0.542, "f1": 0.335],
        ],
        bestPromptBaseline: "rag",
        relativeImprovement: [
            "zero-shot": -0.912, "icl-random": -0.434, "rag": 0, "hydra-reranker": 0.261, "hydra-adapter": 0.044,
            "hydra": 0.261, "hydra-base": 0.132,
        ],
        userDeltas: ["310": 0.5, "42": -0.25],
        comparisons: [
            PairedComparison(method: "hydra", baseline: "rag", questions: 48, meanDifference: 0.125, pValue: 0.021, better: 9, worse: 3, ties: 36),
            PairedComparison(method: "hydra", baseline: "hydra-base", questions: 48, meanDifference: 0.0625, pValue: 0.29, better: 5, worse: 2, ties: 41),
        ],
        timings: ["labels": 12.5], notes: [],
        questions: [
            QuestionOutcome(questionID: "q310a", userID: "310", basePick: "comedy", personalPick: "sci-fi", baseScore: 0, personalScore: 1),
            QuestionOutcome(questionID: "q310b", userID: "310", basePick: "comedy", personalPick: "comedy", baseScore: 1, personalScore: 1),
            QuestionOutcome(questionID: "q42", userID: "42", basePick: "action", personalPick: "sci-fi", baseScore: 1, personalScore: 0),
        ])

    /// `sampleReport` with what the personal heads changed, as a run reports it now.
    static let report: RunReport = {
        var report = sampleReport
        report.headChanges = HeadChanges(questions: 48, prompts: 7, picks: 4, answers: 9)
        return report
    }()
}
