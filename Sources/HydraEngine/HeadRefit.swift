import Foundation
import LaMP
import Numerics
import Retrieval
import Training

/// A what-if edit of a user's history, as the engine applies it.
public struct ProfileEdit: Sendable, Hashable {
    /// Ids of profile items left out.
    public var removed: Set<String>
    /// Items written in, appended after the kept ones.
    public var added: [ProfileItem]

    public init(removed: Set<String> = [], added: [ProfileItem] = []) {
        self.removed = removed
        self.added = added
    }
}

/// Why a user's heads cannot be fitted on an edited history.
public enum RefitError: Error, Equatable, CustomStringConvertible {
    case unknownUser(String)
    /// The edited history has fewer than two items: a pseudo-query needs an item to ask about and
    /// at least one other to retrieve.
    case historyTooSmall(userID: String, items: Int)
    /// No pseudo-query could be made (no item has both the answer and the input field).
    case noExamples(userID: String)
    /// The run has no trained scorer to fit a head on.
    case noModels

    public var description: String {
        switch self {
        case .unknownUser(let id): return "no user \"\(id)\" in this run"
        case let .historyTooSmall(id, items):
            return "user \(id)'s edited history has \(items) item\(items == 1 ? "" : "s"): a head needs at least 2 "
                + "(a pseudo-query asks about one item and retrieves from the others)"
        case .noExamples(let id):
            return "no pseudo-query can be made from user \(id)'s edited history (no item has both an input and an answer)"
        case .noModels: return "the session has no trained models yet: run it first"
        }
    }
}

/// The new heads of one user after a re-fit.
public struct RefittedHeads: Sendable {
    public var models: TrainedModels
    /// Final loss of each scorer's fit (nil: no examples for it).
    public var rerankerLoss: Float?
    public var adapterLoss: Float?
    /// Example rows each head was fitted on.
    public var rerankerExamples: Int
    public var adapterExamples: Int
}

/// One question answered with one fit of the user's heads.
public struct FitAnswer: Sendable, Equatable {
    public var questionID: String
    public var gold: String
    /// Retrieved item ids in the personal reranker's order.
    public var ranking: [String]
    public var pick: String
    public var basePick: String
    public var metric: Double
    public var baseMetric: Double
}

extension HydraPipeline {
    /// The user with id `userID` among every user of the run.
    public func user(_ userID: String) throws -> EngineUser {
        let (train, eval) = try users()
        guard let user = (train + eval).first(where: { $0.id == userID }) else { throw RefitError.unknownUser(userID) }
        return user
    }

    /// `user` with `edit` applied to the history (and a BM25 index over the edited history).
    public func edited(_ user: EngineUser, _ edit: ProfileEdit) -> EngineUser {
        edited(user, profile: user.profile.filter { !edit.removed.contains($0.id) } + edit.added)
    }

    /// `user` with `profile` as their history.
    public func edited(_ user: EngineUser, profile: [ProfileItem]) -> EngineUser {
        let corpus = profile.map { LaMPRetrievalText.corpusText(task: config.task, item: $0) }
        return EngineUser(id: user.id, role: user.role, profile: profile, index: BM25Index(documents: corpus), questions: user.questions)
    }

    /// The pseudo-queries the fit phase builds from `user`'s history: an evaluation user's count,
    /// whatever the user's role, since a re-fit is a fit.
    public func fitCases(for user: EngineUser, seed: UInt64? = nil) throws -> [QueryCase] {
        guard user.profile.count >= 2 else { throw RefitError.historyTooSmall(userID: user.id, items: user.profile.count) }
        let sample = user.questions.first?.question.input ?? (try? users())?.eval.first?.questions.first?.question.input ?? ""
        let cases = CaseBuilder.pseudoCases(
            user: user, task: config.task, template: CaseBuilder.template(task: config.task, sampleInput: sample),
            count: config.labelling.pseudoQueriesPerEvalUser, adapterOnly: config.labelling.adapterPseudoQueriesPerEvalUser,
            k: config.labelling.itemsLabelled(k: config.retrieval.k), seed: seed ?? config.sampling.seed)
        guard !cases.isEmpty else { throw RefitError.noExamples(userID: user.id) }
        return cases
    }

    /// LLM calls labelling `cases` takes: one per labelled item, one for the candidates.
    public static func labelCalls(_ cases: [QueryCase]) -> Int {
        cases.reduce(0) { $0 + ($1.labelsItems ? $1.hits.count : 0) + 1 }
    }

    /// The LLM's labels of `cases` for `user`, several calls in flight.
    public func labelCases(_ cases: [QueryCase], user: EngineUser, events: EngineEventHandler? = nil) async throws -> [LabelledCase] {
        try await boundedConcurrentMap(
            count: cases.count, window: config.runtime.concurrentLLMCalls,
            finished: { events?(.stageProgress(.labels, done: $0, total: cases.count)) }
        ) { i in
            try await self.label(cases[i], user: user)
        }
    }

    /// Fits `user`'s reranker and adapter heads again on `labelled` (their edited history's
    /// cases), base frozen, as the fit phase does; every other head stays as it is.
    /// - Parameters:
    ///   - seed: the fit's seed (default: the run's), for the cold start's repeats.
    ///   - scheme: the adapter's labels as the run chose them (its held-out selection); default
    ///     the configured ones.
    ///   - fitSelection: each scorer's fit setting as the run chose them; default `training.fit`.
    public func refitHeads(
        user: EngineUser, labelled: [LabelledCase], models: TrainedModels, seed: UInt64? = nil,
        scheme: AdapterLabels? = nil, fitSelection: FitSelectionReport? = nil, events: EngineEventHandler? = nil
    ) async throws -> RefittedHeads {
        guard models.reranker != nil || models.adapter != nil else { throw RefitError.noModels }
        let examples = try buildExamples(labelled, users: [user.id: user], scheme: scheme ?? config.labelling.adapterLabels ?? HydraConfig.LabellingConfig.defaultAdapterLabels, events: nil)
        func settings(_ setting: FitSetting?) -> TrainingSettings {
            var s = config.fitTrainingSettings(setting)
            if let seed { s.seed = seed }
            return s
        }
        let initialization = config.training.fitInitialization
        var result = RefittedHeads(models: models, rerankerLoss: nil, adapterLoss: nil, rerankerExamples: 0, adapterExamples: 0)
        for (name, model, rows, settings) in [
            ("reranker", models.reranker, examples.reranker.first { $0.userID == user.id }, settings(fitSelection?.reranker)),
            ("adapter", models.adapter, examples.adapter.first { $0.userID == user.id }, settings(fitSelection?.adapter)),
        ] {
            guard let model, let rows, !rows.labels.isEmpty else { continue }
            let fitted = try await Self.offThread {
                var model = model
                let losses = try HeadTraining.fitHeads(
                    model: &model, users: [rows], settings: settings, initialization: initialization, workers: 2,
                    progress: { events?(.training(model: name, $0)) })
                return (model, losses.first?.last)
            }
            if name == "reranker" {
                result.models.reranker = fitted.model
                result.rerankerLoss = fitted.last
                result.rerankerExamples = rows.labels.count
            } else {
                result.models.adapter = fitted.model
                result.adapterLoss = fitted.last
                result.adapterExamples = rows.labels.count
            }
        }
        return result
    }

    /// Runs `fit` on a thread of its own (training is CPU-bound and must not hold the
    /// cooperative pool), returning the model and the last loss.
    private static func offThread(_ fit: @escaping @Sendable () throws -> (FactorizedModel, Float?)) async throws
        -> (model: FactorizedModel, last: Float?)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let (model, last) = try fit()
                    continuation.resume(returning: (model, last))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    /// Every question of `user` answered by `hydra` and `hydra-base` with `models`, retrieving
    /// from `user`'s history as given (edited or not).
    public func answerQuestions(of user: EngineUser, models: TrainedModels) async throws -> [FitAnswer] {
        var answers: [FitAnswer] = []
        for (question, gold) in user.questions {
            try Task.checkCancellation()
            let reranked = try rerank(question, gold: gold, user: user, models: models)
            let personal = try await run(.hydra, items: promptItems(.hydra, reranked), reranked: reranked, models: models)
            let base = try await run(.hydraBase, items: promptItems(.hydraBase, reranked), reranked: reranked, models: models)
            answers.append(FitAnswer(
                questionID: question.id, gold: gold,
                ranking: reranked.personalOrder.map { user.profile[reranked.query.hits[$0].index].id },
                pick: personal.answer, basePick: base.answer,
                metric: try questionMetric(personal.answer, gold: gold, id: question.id),
                baseMetric: try questionMetric(base.answer, gold: gold, id: question.id)))
        }
        return answers
    }

    /// The primary metric of one prediction against its gold.
    public func questionMetric(_ prediction: String, gold: String, id: String) throws -> Double {
        let (metric, _) = HydraResults.primaryMetric(for: config.task)
        let values = try LaMPEvaluator.evaluate(
            task: config.task, golds: [Gold(id: id, output: gold)], predictions: [Gold(id: id, output: prediction)])
        return values[metric] ?? .nan
    }

    /// The mean personal − base difference of `answers`, positive when the user's heads help.
    public func delta(_ answers: [FitAnswer]) -> Double? {
        guard !answers.isEmpty else { return nil }
        let higher = HydraResults.primaryMetric(for: config.task).higherIsBetter
        let mean = answers.reduce(0.0) { $0 + $1.metric - $1.baseMetric } / Double(answers.count)
        return higher ? mean : -mean
    }

    /// The most recent `size` items of `user`'s history: by `date` when every item has one,
    /// else the last in the profile's order (LaMP keeps a history in the order it was written).
    public func recentHistory(_ user: EngineUser, size: Int) -> [ProfileItem] {
        let items = user.profile.allSatisfy({ !$0["date"].isEmpty })
            ? user.profile.enumerated().sorted { ($0.element["date"], $0.offset) < ($1.element["date"], $1.offset) }.map(\.element)
            : user.profile
        return Array(items.suffix(size))
    }
}
