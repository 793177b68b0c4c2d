import Foundation
import GenerationCache
import HydraEngine
import LaMP
import Numerics
import SessionStore
import Training
import WorkbenchAPI

/// Re-fits one user's heads on an edited history and draws the cold start curve, over a session
/// that has been run. LLM calls go through the session's cache; calls it lacks are counted.
struct WhatIfRunner {
    let setup: RunSetup
    /// The run's models (fitted ones when available).
    let models: TrainedModels
    let saved: HydraResults?

    /// The engine's form of a workbench edit; items written in without an id get `new-1`, `new-2`….
    static func profileEdit(_ edit: HistoryEdit) -> ProfileEdit {
        ProfileEdit(
            removed: edit.removed,
            added: edit.added.enumerated().map { i, entry in
                ProfileItem(id: entry.id.isEmpty ? "new-\(i + 1)" : entry.id, fields: entry.fields)
            })
    }

    private func pipeline() throws -> (pipeline: HydraPipeline, misses: CallCountingLLMClient) {
        let misses = CallCountingLLMClient(wrapping: setup.meter)
        return (setup.makePipeline(client: try CachedLLMClient(wrapping: misses, database: setup.store.database)), misses)
    }

    /// The re-fit's cost: its cases' LLM calls, and how many the cache lacks (nothing is called).
    func plan(userID: String, edit: HistoryEdit) async throws -> RefitPlan {
        let counter = CallCountingLLMClient(wrapping: DryRunLLMClient(backendID: setup.client.backendID, modelID: setup.client.modelID))
        let dry = setup.makePipeline(client: try CachedLLMClient(wrapping: counter, database: setup.store.database, storesResults: false))
        let original = try dry.user(userID)
        let known = Set(original.profile.map(\.id))
        let unknown = edit.removed.subtracting(known).sorted()
        guard unknown.isEmpty else {
            throw RunSetupError("no item \(unknown.prefix(5).joined(separator: ", "))\(unknown.count > 5 ? " …" : "") in \(userID)'s history")
        }
        let user = dry.edited(original, Self.profileEdit(edit))
        let cases = try dry.fitCases(for: user)
        _ = try await dry.labelCases(cases, user: user)
        return RefitPlan(
            userID: userID, historySize: user.profile.count, pseudoQueries: cases.count, llmCalls: HydraPipeline.labelCalls(cases),
            newLLMCalls: counter.calls)
    }

    /// Fits the user's heads again on the edited history and answers their questions with the
    /// run's heads and with the new ones.
    /// - Returns: the report, and the models with the new heads (for `keepRefit`).
    func refit(userID: String, edit: HistoryEdit, emit: @escaping @Sendable (JobEvent) -> Void) async throws
        -> (RefitReport, TrainedModels)
    {
        let start = Date()
        let plan = try await plan(userID: userID, edit: edit)
        let (pipeline, misses) = try pipeline()
        let original = try pipeline.user(userID)
        let user = pipeline.edited(original, Self.profileEdit(edit))
        let events = RunEventTranslator(meter: setup.meter, emit: emit)
        emit(.progress(0.1, "labelling \(plan.pseudoQueries) pseudo-queries (\(plan.newLLMCalls) new LLM calls)"))
        let labelled = try await pipeline.labelCases(try pipeline.fitCases(for: user), user: user) { events.handle($0) }
        emit(.progress(0.4, "fitting \(userID)'s heads"))
        let refitted = try await pipeline.refitHeads(
            user: user, labelled: labelled, models: models, scheme: saved?.selection?.labels,
            fitSelection: saved?.fitSelection) { events.handle($0) }
        events.flushLosses()
        emit(.progress(0.6, "answering \(userID)'s questions with both fits"))
        let before = try await pipeline.answerQuestions(of: original, models: models)
        let after = try await pipeline.answerQuestions(of: user, models: refitted.models)
        let questions = zip(before, after).map { b, a in
            RefitQuestion(questionID: b.questionID, gold: b.gold, before: Self.side(b), after: Self.side(a))
        }
        let report = RefitReport(
            userID: userID, edit: edit, plan: plan, questions: questions, deltaBefore: pipeline.delta(before),
            deltaAfter: pipeline.delta(after), rerankerLoss: refitted.rerankerLoss.map(Double.init),
            adapterLoss: refitted.adapterLoss.map(Double.init), newLLMCalls: misses.calls, seconds: Date().timeIntervalSince(start))
        return (report, refitted.models)
    }

    /// Saves `models` (a re-fit of `userID` over the run's fitted heads) as the run's fitted
    /// heads, under the key the run saved them with, so a re-run reuses them.
    static func keep(_ models: TrainedModels, userID: String, store: SessionStore) throws {
        for (name, model) in [("reranker", models.reranker), ("adapter", models.adapter)] {
            guard let model else { continue }
            // the run's own weights (stored per key since runs are kept), under their key
            let fit = try HydraPipeline.weightsName(slot: name + "-fit", in: store) ?? name + "-fit"
            let joint = try HydraPipeline.weightsName(slot: name + "-joint", in: store) ?? name + "-joint"
            let key = try store.weightsRecord(name: fit)?.metadata ?? store.weightsRecord(name: joint)?.metadata
            try store.saveWeights(name: fit, data: try Checkpoint.serialize(model), metadata: key)
        }
    }

    static func side(_ answer: FitAnswer) -> FitSide {
        FitSide(ranking: answer.ranking, pick: answer.pick, basePick: answer.basePick, metric: answer.metric, baseMetric: answer.baseMetric)
    }

    /// The cold start curve: for each size, the heads of every user fitted on their `size` most
    /// recent items (`seeds` times, each seed choosing other pseudo-queries and training
    /// differently), scored by `hydra` on their questions and averaged over the users.
    func coldStart(userIDs: [String], sizes: [Int], seeds: Int, emit: @escaping @Sendable (JobEvent) -> Void) async throws
        -> ColdStartReport
    {
        let start = Date()
        let (pipeline, misses) = try pipeline()
        let (_, eval) = try pipeline.users()
        let chosen = try (userIDs.isEmpty ? eval.map(\.id) : userIDs).map { try pipeline.user($0) }
        var notes: [String] = []
        let users = chosen.filter { user in
            if user.questions.isEmpty { notes.append("\(user.id) has no questions: left out") }
            return !user.questions.isEmpty
        }
        guard !users.isEmpty else { throw RunSetupError("no user with questions to draw a cold start curve for") }
        let seeds = max(1, seeds)
        let largest = users.map(\.profile.count).max() ?? 0
        // sizes at or above a history's length are that user's whole history
        var steps = Array(Set(sizes.filter { $0 > 0 && $0 < largest })).sorted()
        steps.append(largest)
        let (metric, higher) = HydraResults.primaryMetric(for: setup.config.task)
        var points: [ColdStartPoint] = []
        let total = Double(steps.count * seeds * users.count)
        var done = 0.0
        for size in steps {
            var values: [Double] = []
            for seed in 0..<seeds {
                var perUser: [Double] = []
                for original in users {
                    try Task.checkCancellation()
                    emit(.progress(done / total, "cold start: \(original.id), \(size) items, seed \(seed + 1)/\(seeds)"))
                    let user = pipeline.edited(original, profile: pipeline.recentHistory(original, size: size))
                    let fitSeed = SplitMix64.derivedSeed(setup.config.sampling.seed, "coldstart:\(seed)")
                    let answers: [FitAnswer]
                    do {
                        let labelled = try await pipeline.labelCases(try pipeline.fitCases(for: user, seed: fitSeed), user: user)
                        let fitted = try await pipeline.refitHeads(
                            user: user, labelled: labelled, models: models, seed: fitSeed, scheme: saved?.selection?.labels,
            fitSelection: saved?.fitSelection)
                        answers = try await pipeline.answerQuestions(of: user, models: fitted.models)
                    } catch let error as RefitError {
                        // too little history for a head: the user is scored with the global heads
                        if seed == 0 { notes.append("\(original.id) at \(size) items: \(error); global heads used") }
                        answers = try await pipeline.answerQuestions(of: user, models: models.withoutHead(of: original.id))
                    }
                    perUser.append(answers.reduce(0.0) { $0 + $1.metric } / Double(answers.count))
                    done += 1
                }
                values.append(perUser.reduce(0, +) / Double(perUser.count))
            }
            points.append(ColdStartPoint(size: size, values: values))
        }
        if users.contains(where: { $0.profile.count < largest }) {
            notes.append("the last point is every user's whole history (the longest has \(largest) items)")
        }
        func runMean(_ method: HydraMethod) -> Double? {
            let values = users.compactMap { saved?.users[$0.id]?[method.rawValue]?[metric] }
            return values.count == users.count ? values.reduce(0, +) / Double(values.count) : nil
        }
        return ColdStartReport(
            userIDs: users.map(\.id), metric: metric, higherIsBetter: higher, points: points, baseOnly: runMean(.hydraBase),
            rag: runMean(.rag), seeds: seeds, newLLMCalls: misses.calls, seconds: Date().timeIntervalSince(start), notes: notes)
    }
}

extension TrainedModels {
    /// These models with `userID`'s heads removed, so the user is scored by the global heads.
    func withoutHead(of userID: String) -> TrainedModels {
        TrainedModels(reranker: reranker?.removingHead(of: userID), adapter: adapter?.removingHead(of: userID))
    }
}
