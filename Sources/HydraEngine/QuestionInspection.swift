import Foundation
import LaMP
import Retrieval

/// A retrieved item as the reranker debugger shows it.
public struct InspectedItem: Sendable, Codable, Equatable {
    /// BM25 rank and score, and the reranker's score and rank under both heads.
    public var ranked: RankedItem
    /// The item's reranker training label (1: the LLM answered right with it alone), when the
    /// question was one of the run's training cases and the item was labelled; nil otherwise.
    public var trainingLabel: Int?
    /// The LLM's answer with this item alone in the prompt, when it was labelled.
    public var answerAlone: String?
    /// Cosine of the item's corpus text and the query under the run's encoder.
    public var denseCosine: Float? = nil
}

/// A profile item found by dense (cosine) retrieval.
public struct DenseItem: Sendable, Codable, Equatable {
    public var itemID: String
    public var rank: Int
    public var score: Float
}

/// Everything the workbench shows for one question: retrieval, both reranker heads, the N
/// candidates of the personally reranked prompt under both adapter heads, each head's pick and
/// its score against the gold.
public struct QuestionInspection: Sendable, Codable {
    public var questionID: String
    public var userID: String
    public var input: String
    public var gold: String
    /// The BM25 top-k with the reranker's view of each item.
    public var items: [InspectedItem]
    /// The dense top-k over the user's profile (query and items through the run's encoder).
    public var dense: [DenseItem]
    /// The candidates of the prompt built from the user's head's top r.
    public var candidates: [ScoredCandidate]
    /// The candidate the global adapter head picks, and the one the user's head picks.
    public var basePick: String
    public var personalPick: String
    /// The task's primary metric of each pick against the gold (one-question evaluation).
    public var metric: String
    public var baseMetric: Double
    public var personalMetric: Double
}

extension HydraPipeline {
    /// The user asking `questionID`, the question and its gold, among every user of the run.
    /// - Throws: `HydraEngineError.invalidSetting(name: "question", …)` for an unknown id.
    func findQuestion(_ questionID: String) throws -> (user: EngineUser, question: Question, gold: String) {
        let (train, eval) = try users()
        guard let found = (train + eval).lazy.compactMap({ user in
            user.questions.first { $0.question.id == questionID }.map { (user, $0.question, $0.gold) }
        }).first else {
            throw HydraEngineError.invalidSetting(name: "question", value: questionID)
        }
        return found
    }

    /// Inspects one question of any user of the run with the given (saved) models. LLM calls go
    /// through the run's cached client, so a question the run has seen costs no new call.
    /// - Throws: `HydraEngineError.invalidSetting(name: "question", …)` for an unknown id, and
    ///   encoder, LLM or metric errors.
    public func inspect(questionID: String, models: TrainedModels) async throws -> QuestionInspection {
        let (user, question, gold) = try findQuestion(questionID)
        let reranked = try rerank(question, gold: gold, user: user, models: models)
        var items = reranked.rankedItems().map { InspectedItem(ranked: $0, trainingLabel: nil, answerAlone: nil) }

        // a training user's first questions were training cases: their labels are in the cache
        let trainingQuestions = config.labelling.trainQuestionsPerUser.map { Array(user.questions.prefix($0)) } ?? user.questions
        if user.role == .train, trainingQuestions.contains(where: { $0.question.id == questionID }) {
            let labelK = config.labelling.itemsLabelled(k: config.retrieval.k)
            let labelled = try await label(
                CaseBuilder.questionCase(question, gold: gold, user: user, task: config.task, k: labelK), user: user)
            for i in labelled.rerankerLabels.indices where i < items.count {
                items[i].trainingLabel = labelled.rerankerLabels[i]
                items[i].answerAlone = labelled.itemAnswers[i]
            }
        }

        let corpus = user.profile.map { LaMPRetrievalText.corpusText(task: config.task, item: $0) }
        let queryText = LaMPRetrievalText.query(task: config.task, input: question.input)
        let vectors = try embed(corpus + [queryText])
        let retriever = try DenseRetriever(documents: corpus.map { vectors[$0] ?? [] })
        let cosines = try retriever.scores(query: vectors[queryText] ?? [])
        for i in items.indices { items[i].denseCosine = cosines[reranked.query.hits[i].index] }
        let dense = try retriever.topK(query: vectors[queryText] ?? [], k: config.retrieval.k)
            .enumerated().map { DenseItem(itemID: user.profile[$0.element.index].id, rank: $0.offset, score: $0.element.score) }

        let candidates = try await oracle.candidates(reranked.prompt(.personal), n: config.sampling.n)
        let picked = try await pick(candidates, query: reranked.queryVector, user: user.id, models: models)
        let (metric, _) = HydraResults.primaryMetric(for: config.task)
        func score(_ prediction: String) throws -> Double {
            let values = try LaMPEvaluator.evaluate(
                task: config.task, golds: [Gold(id: questionID, output: gold)], predictions: [Gold(id: questionID, output: prediction)])
            return values[metric] ?? .nan
        }
        return QuestionInspection(
            questionID: questionID, userID: user.id, input: question.input, gold: gold, items: items, dense: dense,
            candidates: picked.scored, basePick: picked.base, personalPick: picked.personal, metric: metric,
            baseMetric: try score(picked.base), personalMetric: try score(picked.personal))
    }
}
