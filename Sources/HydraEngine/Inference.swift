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
    /// Method (those that sample N) → question id → the candidate of its pool closest to the gold.
    var oraclePredictions: [HydraMethod: [String: String]] = [:]
    var traces: [QuestionTrace]
}

/// One question's answers: each method's prediction (cleaned and raw) and its pool's best.
struct QuestionAnswers: Sendable {
    var predictions: [HydraMethod: String] = [:]
    var raw: [HydraMethod: String] = [:]
    var oracle: [HydraMethod: String] = [:]
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
        for (answers, trace) in answered {
            for (method, text) in answers.predictions { output.predictions[method, default: [:]][trace.questionID] = text }
            for (method, text) in answers.oracle { output.oraclePredictions[method, default: [:]][trace.questionID] = text }
            output.traces.append(trace)
        }
        return output
    }

    /// The task's primary metric of `prediction` against `gold`, signed so that higher is better.
    func signedScore(_ prediction: String, gold: String) throws -> Double {
        let (metric, higher) = HydraResults.primaryMetric(for: config.task)
        let values = try LaMPEvaluator.evaluate(
            task: config.task, golds: [Gold(id: "q", output: gold)], predictions: [Gold(id: "q", output: prediction)])
        let value = values[metric] ?? 0
        return higher ? value : -value
    }

    /// The candidate of `pool` with the best metric against `gold` (the first on ties).
    func oraclePick(_ pool: [String], gold: String) throws -> String {
        var best: (text: String, score: Double)?
        for text in pool {
            let score = try signedScore(text, gold: gold)
            if best == nil || score > best!.score { best = (text, score) }
        }
        return best?.text ?? ""
    }

    /// The extractive baseline: the first ten words of the input's text (its query text).
    func extractiveAnswer(_ input: String) -> String {
        LaMPRetrievalText.query(task: config.task, input: input).split(whereSeparator: \.isWhitespace).prefix(10)
            .joined(separator: " ")
    }

    /// Every configured method's prediction for one question, and its trace.
    func answer(_ question: Question, gold: String, user: EngineUser, models: TrainedModels) async throws
        -> (QuestionAnswers, QuestionTrace)
    {
        let methods = Set(config.methods)
        let reranked = try rerank(question, gold: gold, user: user, models: models)
        var answers = QuestionAnswers()
        var traceCandidates: [ScoredCandidate] = []
        for method in HydraMethod.allCases where methods.contains(method) && method.applies(to: config.task) {
            let result = try await run(method, items: promptItems(method, reranked, models: models), reranked: reranked, models: models)
            answers.predictions[method] = result.answer
            answers.raw[method] = result.raw
            if method.samplesCandidates { answers.oracle[method] = try oraclePick(result.candidates.map(\.candidate.text), gold: gold) }
            if method == .hydra { traceCandidates = result.candidates }
        }
        var trace = QuestionTrace(
            questionID: question.id, userID: user.id, gold: gold, items: reranked.rankedItems(), candidates: traceCandidates,
            predictions: Dictionary(uniqueKeysWithValues: answers.predictions.map { ($0.key.rawValue, $0.value) }))
        let raw = answers.raw.filter { answers.predictions[$0.key] != $0.value }
        if !raw.isEmpty { trace.rawPredictions = Dictionary(uniqueKeysWithValues: raw.map { ($0.key.rawValue, $0.value) }) }
        return (answers, trace)
    }

    /// The profile items `method` puts in its prompt (none for zero-shot).
    func promptItems(_ method: HydraMethod, _ reranked: RerankedQuestion, models: TrainedModels = TrainedModels()) -> [ProfileItem] {
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
        case .hydraGated:
            return reranked.promptItems(models.usesPersonalReranker(reranked.user.id) ? .personal : .base)
        case .extractive:
            return []
        }
    }

    /// The prompt `method` sends with `items`: zero-shot sends the input alone, not a prompt
    /// built from no items.
    func promptText(_ method: HydraMethod, items: [ProfileItem], reranked: RerankedQuestion) -> String {
        method == .zeroShot ? reranked.question.input : builder.prompt(input: reranked.question.input, items: items)
    }

    /// `method`'s answer with `items` in its prompt (its own items in a run, others in a
    /// counterfactual), the LLM's raw text of it, and the scored candidates when it samples N.
    func run(_ method: HydraMethod, items: [ProfileItem], reranked: RerankedQuestion, models: TrainedModels) async throws
        -> (answer: String, candidates: [ScoredCandidate], raw: String)
    {
        let prompt = promptText(method, items: items, reranked: reranked)
        switch method {
        case .extractive:
            let text = extractiveAnswer(reranked.question.input)
            return (text, [], text)
        case .zeroShot, .iclRandom, .rag, .hydraReranker:
            let answer = try await oracle.generated(prompt)
            return (answer.text, [], answer.raw)
        case .hydraAdapter, .hydra, .hydraBase, .hydraGated:
            let candidates = try await oracle.candidates(prompt, n: config.sampling.n)
            let picked = try await pick(candidates, query: reranked.queryVector, user: reranked.user.id, models: models)
            let personal = method != .hydraBase && (method != .hydraGated || models.usesPersonalHeads(reranked.user.id))
            let text = personal ? picked.personal : picked.base
            let raw = candidates.first { $0.text == text }.map { $0.raw ?? $0.text } ?? text
            return (text, picked.scored, raw)
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
        let allGolds = eval.flatMap { user in user.questions.map { Gold(id: $0.question.id, output: $0.gold) } }
        if !allGolds.isEmpty {
            for (method, byID) in inference.oraclePredictions {
                let predictions = allGolds.map { Gold(id: $0.id, output: byID[$0.id] ?? "") }
                results.oracle[method.rawValue] = try LaMPEvaluator.evaluate(task: config.task, golds: allGolds, predictions: predictions)
            }
            for (method, byID) in inference.predictions {
                results.emptyAnswers[method.rawValue] = allGolds.filter { (byID[$0.id] ?? "").isEmpty }.count
            }
        }
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
        for (method, baseline) in HydraResults.comparedPairs {
            guard let differences = try PairedSignificance.differences(
                results, method: method, baseline: baseline, golds: allGolds, task: config.task)
            else { continue }
            results.paired.append(MethodComparison(
                method: method.rawValue, baseline: baseline.rawValue, test: PairedSignificance.test(differences: differences)))
        }
        return results
    }
}
