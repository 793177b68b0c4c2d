import Foundation
import LaMP

/// What one method did for one question: the prompt it sent, the profile items in it, its
/// answer and (when it samples N) the candidates with both adapter heads' scores.
public struct MethodAnswer: Sendable, Codable, Equatable {
    public var method: HydraMethod
    public var prompt: String
    public var itemIDs: [String]
    public var answer: String
    public var candidates: [ScoredCandidate]
    /// The LLM's text before `AnswerNormalizer` when it differs from `answer` (nil otherwise, and
    /// for an answer taken from a run's saved predictions).
    public var rawAnswer: String? = nil
}

/// A change to the personalized prompt of a question, for seeing what one item does.
public enum PromptEdit: Sendable, Equatable {
    /// The prompt with this retrieved item alone.
    case itemAlone(itemID: String)
    /// The personalized top r without this item: the next item of the personal ranking takes
    /// its place.
    case leaveOut(itemID: String)
}

/// A counterfactual's method run on the personalized prompt and on the edited one.
public struct CounterfactualAnswers: Sendable, Codable, Equatable {
    public var userID: String
    public var gold: String
    public var before: MethodAnswer
    public var after: MethodAnswer
}

/// One question's BM25 top-k under both reranker heads (no LLM involved).
public struct QuestionRanking: Sendable, Codable, Equatable {
    public var questionID: String
    public var items: [RankedItem]
}

extension HydraPipeline {
    /// Each of `methods` on one question, with prompts built exactly as inference builds them.
    /// - Parameter known: answers already known (a run's saved predictions): used as they are,
    ///   without asking the LLM; methods that sample N still get their candidates.
    /// - Throws: `HydraEngineError.invalidSetting(name: "question", …)` for an unknown id.
    public func methodAnswers(
        questionID: String, methods: [HydraMethod], models: TrainedModels, known: [HydraMethod: String] = [:]
    ) async throws -> [MethodAnswer] {
        let (user, question, gold) = try findQuestion(questionID)
        let reranked = try rerank(question, gold: gold, user: user, models: models)
        var answers: [MethodAnswer] = []
        for method in methods {
            let items = promptItems(method, reranked, models: models)
            let prompt = promptText(method, items: items, reranked: reranked)
            var answer = MethodAnswer(method: method, prompt: prompt, itemIDs: items.map(\.id), answer: "", candidates: [])
            if let saved = known[method], !method.samplesCandidates {
                answer.answer = saved
            } else {
                let result = try await run(method, items: items, reranked: reranked, models: models)
                (answer.answer, answer.candidates) = (result.answer, result.candidates)
                if result.raw != result.answer { answer.rawAnswer = result.raw }
                if let saved = known[method] { answer.answer = saved }
            }
            answers.append(answer)
        }
        return answers
    }

    /// The method a counterfactual reruns: for tasks with labels (classification, rating) the
    /// N candidates and the user's adapter head's pick (`hydra`), for generation one greedy call
    /// (`hydra-reranker`); both on the personalized prompt.
    public var counterfactualMethod: HydraMethod { config.task.labels == nil ? .hydraReranker : .hydra }

    /// The counterfactual method on the personalized prompt and on the prompt `edit` makes.
    /// - Throws: `HydraEngineError.invalidSetting(name: "item", …)` when the item is not among
    ///   the question's retrieved items, and as `methodAnswers`.
    public func counterfactual(questionID: String, edit: PromptEdit, models: TrainedModels) async throws -> CounterfactualAnswers {
        let (user, question, gold) = try findQuestion(questionID)
        let reranked = try rerank(question, gold: gold, user: user, models: models)
        let method = counterfactualMethod
        let itemID: String
        switch edit {
        case .itemAlone(let id), .leaveOut(let id): itemID = id
        }
        let order = reranked.hitOrder(.personal).map { user.profile[reranked.query.hits[$0].index] }
        guard let item = order.first(where: { $0.id == itemID }) else {
            throw HydraEngineError.invalidSetting(
                name: "item", value: "\"\(itemID)\" among the \(order.count) items retrieved for question \"\(questionID)\"")
        }
        let edited: [ProfileItem]
        switch edit {
        case .itemAlone: edited = [item]
        case .leaveOut: edited = Array(order.filter { $0.id != itemID }.prefix(config.retrieval.r))
        }
        func answer(_ items: [ProfileItem]) async throws -> MethodAnswer {
            let result = try await run(method, items: items, reranked: reranked, models: models)
            return MethodAnswer(
                method: method, prompt: promptText(method, items: items, reranked: reranked), itemIDs: items.map(\.id),
                answer: result.answer, candidates: result.candidates, rawAnswer: result.raw == result.answer ? nil : result.raw)
        }
        return CounterfactualAnswers(
            userID: user.id, gold: gold, before: try await answer(reranked.promptItems(.personal)), after: try await answer(edited))
    }

    /// Every question of `userID`: its BM25 top-k under both reranker heads. Embeddings only (from
    /// the store when a run made them), no LLM.
    /// - Throws: `HydraEngineError.invalidSetting(name: "user", …)` for an unknown user.
    public func rankings(userID: String, models: TrainedModels) throws -> [QuestionRanking] {
        let (train, eval) = try users()
        guard let user = (train + eval).first(where: { $0.id == userID }) else {
            throw HydraEngineError.invalidSetting(name: "user", value: userID)
        }
        return try user.questions.map { entry in
            try Task.checkCancellation()
            let reranked = try rerank(entry.question, gold: entry.gold, user: user, models: models)
            return QuestionRanking(questionID: entry.question.id, items: reranked.rankedItems())
        }
    }
}
