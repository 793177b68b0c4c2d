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

    /// The prompt with the top `r` items of `order`.
    func prompt(_ order: Order) -> String {
        let indices: [Int]
        switch order {
        case .bm25: indices = Array(query.hits.indices)
        case .base: indices = baseOrder
        case .personal: indices = personalOrder
        }
        return builder.prompt(input: question.input, items: indices.prefix(r).map { user.profile[query.hits[$0].index] })
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
        let q = reranked.queryVector
        let ragPrompt = reranked.prompt(.bm25), personalPrompt = reranked.prompt(.personal)
        let basePrompt = reranked.prompt(.base)

        var predictions: [HydraMethod: String] = [:]
        if methods.contains(.zeroShot) { predictions[.zeroShot] = try await oracle.answer(question.input) }
        if methods.contains(.iclRandom) {
            var rng = Numerics.SplitMix64(seed: Numerics.SplitMix64.derivedSeed(config.sampling.seed, "icl:" + question.id))
            var order = Array(user.profile.indices)
            rng.shuffle(&order)
            let random = order.prefix(config.retrieval.r).map { user.profile[$0] }
            predictions[.iclRandom] = try await oracle.answer(builder.prompt(input: question.input, items: random))
        }
        if methods.contains(.rag) { predictions[.rag] = try await oracle.answer(ragPrompt) }
        if methods.contains(.hydraReranker) { predictions[.hydraReranker] = try await oracle.answer(personalPrompt) }
        if methods.contains(.hydraAdapter) {
            let picked = try await pick(try await oracle.candidates(ragPrompt, n: config.sampling.n), query: q, user: user.id, models: models)
            predictions[.hydraAdapter] = picked.personal
        }
        var traceCandidates: [ScoredCandidate] = []
        if methods.contains(.hydra) {
            let picked = try await pick(try await oracle.candidates(personalPrompt, n: config.sampling.n), query: q, user: user.id, models: models)
            predictions[.hydra] = picked.personal
            traceCandidates = picked.scored
        }
        if methods.contains(.hydraBase) {
            let picked = try await pick(try await oracle.candidates(basePrompt, n: config.sampling.n), query: q, user: user.id, models: models)
            predictions[.hydraBase] = picked.base
        }
        let trace = QuestionTrace(
            questionID: question.id, userID: user.id, gold: gold, items: reranked.rankedItems(), candidates: traceCandidates,
            predictions: Dictionary(uniqueKeysWithValues: predictions.map { ($0.key.rawValue, $0.value) }))
        return (predictions, trace)
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
