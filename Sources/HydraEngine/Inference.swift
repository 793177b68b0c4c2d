import Foundation
import LaMP
import Numerics
import Retrieval
import Training

/// A question's retrieved items under both reranker heads, and the prompts each order makes.
struct RerankedQuestion {
    enum Order { case bm25, base, personal }
    let question: Question
    let user: EngineUser
    let query: QueryCase
    let queryVector: [Float]
    let baseScores: [Float]
    let personalScores: [Float]
    /// Hit indices by descending score under each head (ranked once, read by every prompt).
    let baseOrder: [Int]
    let personalOrder: [Int]
    let r: Int
    let builder: PromptBuilder

    /// Hit indices in the order `order` ranks them.
    func hitOrder(_ order: Order) -> [Int] {
        switch order {
        case .bm25: return Array(query.hits.indices)
        case .base: return baseOrder
        case .personal: return personalOrder
        }
    }

    /// The top `r` profile items of `order`.
    func promptItems(_ order: Order) -> [ProfileItem] {
        hitOrder(order).prefix(r).map { user.profile[query.hits[$0].index] }
    }

    /// The prompt with the top `r` items of `order`.
    func prompt(_ order: Order) -> String {
        builder.prompt(input: question.input, items: promptItems(order))
    }

    /// The trace rows: every hit with its BM25, base and personal scores and ranks.
    func rankedItems() -> [RankedItem] {
        query.hits.indices.map { i in
            RankedItem(
                itemID: user.profile[query.hits[i].index].id, bm25Rank: i, bm25Score: query.hits[i].score,
                baseScore: baseScores[i], personalScore: personalScores[i],
                baseRank: baseOrder.firstIndex(of: i) ?? i, personalRank: personalOrder.firstIndex(of: i) ?? i)
        }
    }
}

/// Predictions of every method on the evaluation questions.
struct InferenceOutput: Sendable {
    /// Method → question id → prediction.
    var predictions: [HydraMethod: [String: String]]
    var traces: [QuestionTrace]
}

extension HydraPipeline {
    /// Scores rows with a model for one user: (base, personal) P(useful); nil model → zeros.
    func score(_ model: FactorizedModel?, rows: [Float], count: Int, userID: String) throws -> (base: [Float], personal: [Float]) {
        guard let model, count > 0 else { return ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count)) }
        let features = try Matrix(rows: count, cols: featureWidth, data: rows)
        let users = [String?](repeating: userID, count: count)
        let base = try model.scores(features: features, users: users, personalized: false)
        let personal = model.headIndex(of: userID) == nil ? base : try model.scores(features: features, users: users, personalized: true)
        return (base, personal)
    }

    /// Indices sorted by descending score, ties in the original order.
    static func ranking(_ scores: [Float]) -> [Int] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    /// A question's BM25 top-k scored by the reranker under the global head and the user's head.
    func rerank(_ question: Question, gold: String, user: EngineUser, models: TrainedModels) throws -> RerankedQuestion {
        let query = CaseBuilder.questionCase(question, gold: gold, user: user, task: config.task, k: config.retrieval.k)
        let queryText = LaMPRetrievalText.query(task: config.task, input: question.input)
        let itemTexts = query.hits.map { CaseBuilder.itemText(user.profile[$0.index], task: config.task) }
        let vectors = try embed([queryText] + itemTexts)
        let q = vectors[queryText] ?? []
        let rows = rerankerFeatures(query: q, hits: zip(itemTexts, query.hits).map { (vectors[$0.0] ?? [], $0.1.score) })
        let (base, personal) = try score(models.reranker, rows: rows, count: query.hits.count, userID: user.id)
        return RerankedQuestion(
            question: question, user: user, query: query, queryVector: q, baseScores: base, personalScores: personal,
            baseOrder: Self.ranking(base), personalOrder: Self.ranking(personal), r: config.retrieval.r, builder: builder)
    }

    /// Runs the configured methods on every evaluation question.
    func infer(eval: [EngineUser], models: TrainedModels, events: EngineEventHandler?) async throws -> InferenceOutput {
        let work = eval.flatMap { user in user.questions.map { (user: user, question: $0.question, gold: $0.gold) } }
        let answered = try await boundedConcurrentMap(
            count: work.count, window: config.runtime.concurrentLLMCalls,
            finished: { events?(.stageProgress(.inference, done: $0, total: work.count)) }
        ) { i in
            try await self.answer(work[i].question, gold: work[i].gold, user: work[i].user, models: models)
        }
        var output = InferenceOutput(predictions: [:], traces: [])
        for (predictions, trace) in answered {
            for (method, text) in predictions { output.predictions[method, default: [:]][trace.questionID] = text }
            output.traces.append(trace)
        }
        return output
    }

    /// Every configured method's prediction for one question, and its trace.
    func answer(_ question: Question, gold: String, user: EngineUser, models: TrainedModels) async throws
        -> ([HydraMethod: String], QuestionTrace)
    {
        let methods = Set(config.methods)
        let reranked = try rerank(question, gold: gold, user: user, models: models)
        var predictions: [HydraMethod: String] = [:]
        var traceCandidates: [ScoredCandidate] = []
        for method in HydraMethod.allCases where methods.contains(method) {
            let (answer, candidates) = try await run(method, items: promptItems(method, reranked), reranked: reranked, models: models)
            predictions[method] = answer
            if method == .hydra { traceCandidates = candidates }
        }
        let trace = QuestionTrace(
            questionID: question.id, userID: user.id, gold: gold, items: reranked.rankedItems(), candidates: traceCandidates,
            predictions: Dictionary(uniqueKeysWithValues: predictions.map { ($0.key.rawValue, $0.value) }))
        return (predictions, trace)
    }

    /// The profile items `method` puts in its prompt (none for zero-shot).
    func promptItems(_ method: HydraMethod, _ reranked: RerankedQuestion) -> [ProfileItem] {
        switch method {
        case .zeroShot:
            return []
        case .iclRandom:
            var rng = Numerics.SplitMix64(seed: Numerics.SplitMix64.derivedSeed(config.sampling.seed, "icl:" + reranked.question.id))
            var order = Array(reranked.user.profile.indices)
            rng.shuffle(&order)
            return order.prefix(config.retrieval.r).map { reranked.user.profile[$0] }
        case .rag, .hydraAdapter:
            return reranked.promptItems(.bm25)
        case .hydraReranker, .hydra:
            return reranked.promptItems(.personal)
        case .hydraBase:
            return reranked.promptItems(.base)
        }
    }

    /// The prompt `method` sends with `items`: zero-shot sends the input alone, not a prompt
    /// built from no items.
    func promptText(_ method: HydraMethod, items: [ProfileItem], reranked: RerankedQuestion) -> String {
        method == .zeroShot ? reranked.question.input : builder.prompt(input: reranked.question.input, items: items)
    }

    /// `method`'s answer with `items` in its prompt (its own items in a run, others in a
    /// counterfactual), and the scored candidates when it samples N.
    func run(_ method: HydraMethod, items: [ProfileItem], reranked: RerankedQuestion, models: TrainedModels) async throws
        -> (answer: String, candidates: [ScoredCandidate])
    {
        let prompt = promptText(method, items: items, reranked: reranked)
        switch method {
        case .zeroShot, .iclRandom, .rag, .hydraReranker:
            return (try await oracle.answer(prompt), [])
        case .hydraAdapter, .hydra, .hydraBase:
            let candidates = try await oracle.candidates(prompt, n: config.sampling.n)
            let picked = try await pick(candidates, query: reranked.queryVector, user: reranked.user.id, models: models)
            return (method == .hydraBase ? picked.base : picked.personal, picked.scored)
        }
    }

    /// The adapter's picks among `candidates` under the global head and the user's head.
    func pick(_ candidates: [Candidate], query: [Float], user: String, models: TrainedModels) async throws
        -> (base: String, personal: String, scored: [ScoredCandidate])
    {
        guard !candidates.isEmpty else { return ("", "", []) }
        let vectors = try embed(candidates.map(\.text))
        let rows = adapterFeatures(query: query, candidates: candidates.map { (vectors[$0.text] ?? [], $0) })
        let (base, personal) = try score(models.adapter, rows: rows, count: candidates.count, userID: user)
        let scored = candidates.indices.map { ScoredCandidate(candidate: candidates[$0], baseScore: base[$0], personalScore: personal[$0]) }
        // without a trained adapter every score is 0 and the first (most drawn first) candidate wins
        return (candidates[Self.ranking(base)[0]].text, candidates[Self.ranking(personal)[0]].text, scored)
    }

    /// Metrics per method and per user, with comparisons.
    func evaluate(eval: [EngineUser], inference: InferenceOutput) throws -> HydraResults {
        let (primary, higher) = HydraResults.primaryMetric(for: config.task)
        var results = HydraResults(
            task: config.task.rawValue, primaryMetric: primary, higherIsBetter: higher, methods: [:], bestPromptBaseline: nil,
            relativeImprovement: [:], users: [:], userDeltas: [:], timings: [:], predictions: [:], traces: inference.traces,
            notes: [])
        for (method, byID) in inference.predictions {
            var allGolds: [Gold] = [], allPredictions: [Gold] = []
            for user in eval {
                let golds = user.questions.map { Gold(id: $0.question.id, output: $0.gold) }
                let predictions = golds.map { Gold(id: $0.id, output: byID[$0.id] ?? "") }
                allGolds += golds
                allPredictions += predictions
                if !golds.isEmpty {
                    results.users[user.id, default: [:]][method.rawValue] = try LaMPEvaluator.evaluate(
                        task: config.task, golds: golds, predictions: predictions)
                }
            }
            guard !allGolds.isEmpty else { continue }
            results.methods[method.rawValue] = try LaMPEvaluator.evaluate(task: config.task, golds: allGolds, predictions: allPredictions)
            results.predictions[method.rawValue] = allPredictions
        }
        results.computeComparisons()
        return results
    }
}
