import Encoder
import Foundation
import LaMP
import LLMInterface
import Numerics
import Retrieval
import SessionStore
import Training

/// The HYDRA pipeline over one dataset: labels from the LLM, the shared phase on training users,
/// the fit phase on evaluation users, and every method's predictions on their questions.
///
/// Everything long is `async`, checks cancellation between LLM calls and training steps, and
/// reports `EngineEvent`s. LLM calls go through whatever client is given (wrap it in
/// `CachedLLMClient` over `store.database`), embeddings through `embeddings` (give it the store
/// as its `EmbeddingStore`), and trained weights are saved in the store and reused by a re-run
/// with the same configuration and data.
public final class HydraPipeline: Sendable {
    public let dataset: LaMPDataset
    public let config: HydraConfig
    public let oracle: LLMOracle
    public let encoder: any SentenceEncoder
    public let embeddings: EmbeddingCache
    public let store: SessionStore?
    public let builder: PromptBuilder
    private let usersOnce = Once<(train: [EngineUser], eval: [EngineUser])>()

    /// - Parameters:
    ///   - dataset: the LaMP dataset (train split = training users, dev split = evaluation users).
    ///   - config: the run's settings.
    ///   - client: the LLM (cached).
    ///   - encoder: the sentence encoder of the features.
    ///   - embeddings: the embedding cache (backed by the store).
    ///   - store: where weights, losses and results persist (nil: nothing persists).
    ///   - tokenCounter: the LLM's tokenizer, for prompt budgets.
    public init(
        dataset: LaMPDataset, config: HydraConfig, client: any LLMClient, encoder: any SentenceEncoder,
        embeddings: EmbeddingCache, store: SessionStore?, tokenCounter: any TokenCounter
    ) {
        self.dataset = dataset
        self.config = config
        self.oracle = LLMOracle(
            client: client, task: config.task, maxNewTokens: config.sampling.maxNewTokens, seed: config.sampling.seed,
            temperature: config.sampling.temperature, topP: config.sampling.topP, normalizeAnswers: config.sampling.normalizeAnswers)
        self.encoder = encoder
        self.embeddings = embeddings
        self.store = store
        self.builder = PromptBuilder(task: config.task, counter: tokenCounter, maxTokens: config.retrieval.promptTokens)
    }

    /// Training and evaluation users.
    public func users() throws -> (train: [EngineUser], eval: [EngineUser]) {
        // every user carries a BM25 index over their history; an inspection asks for the users
        // several times, so they are built once per pipeline
        try usersOnce.value {
            guard let train = dataset[.train] else { throw HydraEngineError.missingSplit("train") }
            guard let dev = dataset[.dev] else { throw HydraEngineError.missingSplit("dev") }
            return (
                try CaseBuilder.users(split: train, task: config.task, role: .train, limit: config.trainUsers),
                try CaseBuilder.users(split: dev, task: config.task, role: .eval, limit: config.evalUsers)
            )
        }
    }

    /// The training cases: training users' questions and pseudo-queries, evaluation users'
    /// pseudo-queries only.
    public func trainingCases(train: [EngineUser], eval: [EngineUser]) -> [QueryCase] {
        let sample = (train.first?.questions.first ?? eval.first?.questions.first)?.question.input ?? ""
        let template = CaseBuilder.template(task: config.task, sampleInput: sample)
        let k = config.labelling.itemsLabelled(k: config.retrieval.k)
        var cases: [QueryCase] = []
        for user in train {
            let questions = config.labelling.trainQuestionsPerUser.map { Array(user.questions.prefix($0)) } ?? user.questions
            cases += questions.map { CaseBuilder.questionCase($0.question, gold: $0.gold, user: user, task: config.task, k: k) }
            cases += CaseBuilder.pseudoCases(
                user: user, task: config.task, template: template, count: config.labelling.pseudoQueriesPerTrainUser,
                adapterOnly: config.labelling.adapterPseudoQueriesPerTrainUser, k: k, seed: config.sampling.seed)
        }
        for user in eval {
            cases += CaseBuilder.pseudoCases(
                user: user, task: config.task, template: template, count: config.labelling.pseudoQueriesPerEvalUser,
                adapterOnly: config.labelling.adapterPseudoQueriesPerEvalUser, k: k, seed: config.sampling.seed)
        }
        return cases
    }

    /// Runs everything and returns the results (also saved in the store when there is one).
    public func run(events: EngineEventHandler? = nil) async throws -> HydraResults {
        var timings: [String: Double] = [:]
        var llmUsage: [String: LLMUsage] = [:]
        // stages run one after another, so the client's totals between a stage's start and end
        // are that stage's LLM work
        func timed<T>(_ stage: HydraStage, total: Int, _ body: () async throws -> T) async throws -> T {
            let start = Date()
            let usageBefore = oracle.client.reportedUsage
            events?(.stageStarted(stage, total: total))
            let value = try await body()
            let seconds = Date().timeIntervalSince(start)
            timings[stage.rawValue, default: 0] += seconds
            if let usageBefore, let usage = oracle.client.reportedUsage.map({ $0 - usageBefore }), !usage.isEmpty {
                llmUsage[stage.rawValue] = usage
            }
            events?(.stageFinished(stage, seconds: seconds))
            return value
        }
        try config.validate()
        let (train, eval) = try await timed(.load, total: 1) { try users() }
        let usersByID = Dictionary((train + eval).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let cases = trainingCases(train: train, eval: eval)

        let labelled = try await timed(.labels, total: cases.count) {
            let work = cases.compactMap { query in usersByID[query.userID].map { (query: query, user: $0) } }
            return try await boundedConcurrentMap(
                count: work.count, window: config.runtime.concurrentLLMCalls,
                finished: { events?(.stageProgress(.labels, done: $0, total: work.count)) }
            ) { i in
                try await self.label(work[i].query, user: work[i].user)
            }
        }

        let (choice, selection) = try await selectAdapter(labelled: labelled, train: train, usersByID: usersByID, events: events)
        let examples = try await timed(.embed, total: labelled.count) {
            try buildExamples(labelled, users: usersByID, scheme: choice.labels, events: events)
        }
        let trainIDs = Set(train.map(\.id))
        var models = TrainedModels(reranker: nil, adapter: nil)
        try await timed(.training, total: 2) {
            models.reranker = try await trainModel(
                "reranker", examples: examples.reranker.filter { trainIDs.contains($0.userID) }, events: events)
            models.adapter = try await trainModel(
                "adapter", examples: examples.adapter.filter { trainIDs.contains($0.userID) }, settings: choice.settings,
                events: events)
        }
        let shared = models
        let fitSelection = try await timed(.fit, total: eval.count * 2) {
            let fitSelection = try await selectFitSettings(
                eval: eval, labelled: labelled, shared: models, scheme: choice.labels, usersByID: usersByID, events: events)
            if let m = models.reranker {
                models.reranker = try await fitModel(
                    "reranker", model: m, eval: eval, examples: examples.reranker, setting: fitSelection.reranker, events: events)
            }
            if let m = models.adapter {
                models.adapter = try await fitModel(
                    "adapter", model: m, eval: eval, examples: examples.adapter, setting: fitSelection.adapter, events: events)
            }
            return fitSelection
        }
        var gateDecisions: [String: GateDecision] = [:]
        if config.methods.contains(.hydraGated) {
            gateDecisions = try await gate(
                eval: eval, labelled: labelled, shared: shared, scheme: choice.labels, fit: fitSelection, usersByID: usersByID,
                events: events)
            models.gatedToGlobal = Set(gateDecisions.filter { !$0.value.usesPersonal }.map(\.key))
            models.rerankerGatedToGlobal = Set(gateDecisions.filter { $0.value.reranker?.usesPersonal == false }.map(\.key))
        }
        let questionCount = eval.reduce(0) { $0 + $1.questions.count }
        let inference = try await timed(.inference, total: questionCount) {
            try await infer(eval: eval, models: models, events: events)
        }
        var results = try await timed(.evaluate, total: 1) { try evaluate(eval: eval, inference: inference) }
        results.timings = timings
        results.llmUsage = llmUsage
        results.selection = selection
        results.gate = gateDecisions
        results.fitSelection = fitSelection
        if let selection {
            results.notes.append(selection.fallback.map { "held-out selection: \($0); the defaults were used" }
                ?? "held-out selection: adapter labels \(selection.labels.rawValue), \(selection.epochs) epochs, learning rate \(selection.learningRate), on \(selection.heldOutQuestions) questions of \(selection.heldOutUsers.count) held-out training users")
        }
        if !fitSelection.trials.isEmpty {
            results.notes.append(
                "fit selection: reranker heads \(fitSelection.reranker.epochs) epochs at \(fitSelection.reranker.learningRate), adapter heads \(fitSelection.adapter.epochs) epochs at \(fitSelection.adapter.learningRate), on \(fitSelection.rerankerCases) and \(fitSelection.adapterCases) held-out pseudo-queries of the evaluation users")
        }
        if let fallback = fitSelection.fallback { results.notes.append("fit selection: \(fallback)") }
        // counted only beside hydra-base, whose answers the last count compares with
        if config.methods.contains(.hydra), config.methods.contains(.hydraBase), !results.traces.isEmpty {
            let influence = HeadInfluence(traces: results.traces, promptItems: config.retrieval.r)
            results.headInfluence = influence
            results.notes.append(influence.summary)
        }
        for (user, decision) in gateDecisions.sorted(by: { $0.key < $1.key }) {
            if !decision.usesPersonal { results.notes.append("hydra-gated: user \(user): adapter \(decision.reason)") }
            if let r = decision.reranker, !r.usesPersonal { results.notes.append("hydra-gated: user \(user): reranker \(r.reason)") }
        }
        for (method, count) in results.emptyAnswers.sorted(by: { $0.key < $1.key }) where count > 0 {
            results.notes.append("\(method): \(count) answers empty after cleaning (scored as the empty string; raw text in the traces)")
        }
        if let store {
            try store.saveResults(
                methods: results.methods,
                users: results.users.flatMap { user, byMethod in
                    byMethod.map { UserResult(method: $0.key, user: user, metrics: $0.value) }
                })
        }
        return results
    }
}

/// The two trained scorers (nil when a run has nothing to train them on).
public struct TrainedModels: Sendable {
    public var reranker: FactorizedModel?
    public var adapter: FactorizedModel?
    /// Evaluation users whose `hydra-gated` answer is picked by the global adapter head, and whose
    /// `hydra-gated` prompt is ranked by the global reranker head (the gate's decisions).
    public var gatedToGlobal: Set<String> = []
    public var rerankerGatedToGlobal: Set<String> = []

    public init(reranker: FactorizedModel? = nil, adapter: FactorizedModel? = nil, gatedToGlobal: Set<String> = []) {
        self.reranker = reranker
        self.adapter = adapter
        self.gatedToGlobal = gatedToGlobal
    }

    /// Whether `hydra-gated` picks `userID`'s answer with their personal adapter head.
    public func usesPersonalHeads(_ userID: String) -> Bool { !gatedToGlobal.contains(userID) }
    /// Whether `hydra-gated` ranks `userID`'s items with their personal reranker head.
    public func usesPersonalReranker(_ userID: String) -> Bool { !rerankerGatedToGlobal.contains(userID) }
}

/// A value computed on first use and kept; a failed computation is tried again next time.
final class Once<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func value(_ make: () throws -> Value) rethrows -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let made = try make()
        stored = made
        return made
    }
}
