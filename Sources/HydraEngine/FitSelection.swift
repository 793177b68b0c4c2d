import Foundation
import LaMP
import Numerics
import Training

/// One fit-phase setting (epochs and learning rate of a personal head's fit).
public struct FitSetting: Sendable, Codable, Equatable, Hashable {
    public var epochs: Int
    public var learningRate: Float

    public init(epochs: Int, learningRate: Float) {
        self.epochs = epochs
        self.learningRate = learningRate
    }

    /// How far a fit can move a head from its start: steps × step size per epoch. Ties in the
    /// selection go to the gentler setting, the one that stays nearer the global head.
    var strength: Float { Float(epochs) * learningRate }
}

/// One setting of the fit grid and how proxy heads fitted with it scored on the held-out
/// pseudo-queries (signed primary metric, higher is better; nil where that scorer had none).
public struct FitTrial: Sendable, Codable, Equatable {
    public var epochs: Int
    public var learningRate: Float
    /// Mean item-alone metric of the r items the proxy reranker head puts first among a held-out
    /// pseudo-query's labelled items.
    public var rerankerScore: Double?
    /// Mean metric of the proxy adapter head's pick among a held-out pseudo-query's candidates.
    public var adapterScore: Double?
}

/// What fit selection did: the grid, each scorer's choice, or why the configured fit was used.
public struct FitSelectionReport: Sendable, Codable, Equatable {
    public var trials: [FitTrial]
    public var reranker: FitSetting
    public var adapter: FitSetting
    /// Held-out pseudo-queries each scorer was judged on.
    public var rerankerCases: Int
    public var adapterCases: Int
    /// The paired test's p-value of each scorer's best setting against the gentlest (nil when the
    /// gentlest was best or there was no grid).
    public var rerankerPValue: Double? = nil
    public var adapterPValue: Double? = nil
    /// Why the configured `training.fit` was used for a scorer (nil when the grid chose both).
    public var fallback: String?
}

extension HydraPipeline {
    /// The fit phase's epochs and learning rate, chosen per scorer on the evaluation users' own
    /// pseudo-queries (their history, never their questions): the last quarter (at least one) of
    /// each user's pseudo-queries is held out, proxy heads are fitted on the rest with every
    /// setting of `selection.fitEpochs` × `selection.fitLearningRates` (base frozen, as the fit
    /// phase), and each setting is scored on the held-out ones — the reranker by the item-alone
    /// answers of the r labelled items its head ranks first, the adapter by its head's pick. The
    /// gentlest fit is kept unless the best mean beats it significantly (`chooseFit`). With
    /// selection off, or no held-out pseudo-queries for a scorer, that scorer keeps `training.fit`.
    /// - Parameters:
    ///   - shared: the reranker and adapter after the shared phase (before any fit).
    ///   - scheme: the adapter's label scheme.
    func selectFitSettings(
        eval: [EngineUser], labelled: [LabelledCase], shared: TrainedModels, scheme: AdapterLabels,
        usersByID: [String: EngineUser], events: EngineEventHandler?
    ) async throws -> FitSelectionReport {
        let configured = FitSetting(epochs: config.training.fit.epochs, learningRate: config.training.fit.learningRate)
        var grid: [FitSetting] = []
        for epochs in config.selection.fitEpochs {
            for rate in config.selection.fitLearningRates where !grid.contains(FitSetting(epochs: epochs, learningRate: rate)) {
                grid.append(FitSetting(epochs: epochs, learningRate: rate))
            }
        }
        grid.sort { $0.strength < $1.strength || ($0.strength == $1.strength && $0.epochs < $1.epochs) }
        let evalIDs = Set(eval.map(\.id))
        let own = labelled.filter { evalIDs.contains($0.query.userID) && $0.query.isPseudo }
        // held-out cases per scorer: a reranker case needs labelled items, an adapter case candidates
        let rerankerHeld = Self.heldOut(own.filter { $0.query.labelsItems && !$0.itemAnswers.isEmpty })
        let adapterHeld = Self.heldOut(own.filter { !$0.candidates.isEmpty })

        var report = FitSelectionReport(
            trials: [], reranker: configured, adapter: configured, rerankerCases: rerankerHeld.count,
            adapterCases: adapterHeld.count, fallback: nil)
        guard config.selection.enabled else {
            report.fallback = "selection off: training.fit (\(configured.epochs) epochs, learning rate \(configured.learningRate))"
            return report
        }
        guard grid.count > 1 else {
            // one setting given (hydra run --fit-epochs and --fit-learning-rate): nothing to choose
            if let only = grid.first { (report.reranker, report.adapter) = (only, only) }
            return report
        }
        // each scorer fits on the user's other pseudo-queries
        let rerankerFitting = rerankerHeld.isEmpty
            ? [] : try proxyExamples(own, without: rerankerHeld, reranker: true, scheme: scheme, usersByID: usersByID)
        let adapterFitting = adapterHeld.isEmpty
            ? [] : try proxyExamples(own, without: adapterHeld, reranker: false, scheme: scheme, usersByID: usersByID)
        // the held-out reranker cases' features and item-alone scores, computed once for every setting
        let rerankerRows = try rerankerHeldOut(rerankerHeld, usersByID: usersByID)
        report.rerankerCases = rerankerRows.count
        // per setting, each held-out case's score (the paired test needs them case by case)
        var rerankerScores: [[Double]] = []
        var adapterScores: [[Double]] = []
        for setting in grid {
            try Task.checkCancellation()
            var trial = FitTrial(epochs: setting.epochs, learningRate: setting.learningRate, rerankerScore: nil, adapterScore: nil)
            if let reranker = shared.reranker, !rerankerFitting.isEmpty, !rerankerRows.isEmpty {
                let proxy = try fitProxy(reranker, on: rerankerFitting, setting: setting)
                let scores = try rerankerRows.map { held -> Double in
                    let (_, personal) = try score(proxy, rows: held.rows, count: held.scores.count, userID: held.held.query.userID)
                    return topScore(personal, itemScores: held.scores)
                }
                rerankerScores.append(scores)
                trial.rerankerScore = scores.reduce(0, +) / Double(scores.count)
            }
            if let adapter = shared.adapter, !adapterFitting.isEmpty {
                let proxy = try fitProxy(adapter, on: adapterFitting, setting: setting)
                var scores: [Double] = []
                for c in adapterHeld {
                    let picked = try await pick(c.candidates, query: try queryVector(c.query), user: c.query.userID, models: TrainedModels(adapter: proxy))
                    scores.append(try signedScore(picked.personal, gold: c.query.gold))
                }
                adapterScores.append(scores)
                trial.adapterScore = scores.reduce(0, +) / Double(scores.count)
            }
            report.trials.append(trial)
        }
        var missing: [String] = []
        if rerankerScores.count == grid.count {
            let choice = Self.chooseFit(rerankerScores, significance: config.selection.fitSignificance)
            (report.reranker, report.rerankerPValue) = (grid[choice.index], choice.pValue)
        } else if shared.reranker != nil {
            missing.append("reranker")
        }
        if adapterScores.count == grid.count {
            let choice = Self.chooseFit(adapterScores, significance: config.selection.fitSignificance)
            (report.adapter, report.adapterPValue) = (grid[choice.index], choice.pValue)
        } else if shared.adapter != nil {
            missing.append("adapter")
        }
        if !missing.isEmpty {
            report.fallback = "no held-out pseudo-queries for the \(missing.joined(separator: " and ")): training.fit (\(configured.epochs) epochs, learning rate \(configured.learningRate))"
            events?(.note("fit selection: \(report.fallback!)"))
        }
        events?(.note(
            "fit selection: reranker \(report.reranker.epochs) epochs at \(report.reranker.learningRate) on \(rerankerHeld.count) held-out pseudo-queries, adapter \(report.adapter.epochs) epochs at \(report.adapter.learningRate) on \(adapterHeld.count)"))
        return report
    }

    /// One scorer's examples of `cases` without the `held` ones: what its proxy heads fit on.
    func proxyExamples(
        _ cases: [LabelledCase], without held: [LabelledCase], reranker: Bool, scheme: AdapterLabels,
        usersByID: [String: EngineUser]
    ) throws -> [UserExamples] {
        let heldIDs = Set(held.map(\.query.id))
        let fitting = cases.filter { !heldIDs.contains($0.query.id) }
        guard !fitting.isEmpty else { return [] }
        let examples = try buildExamples(fitting, users: usersByID, scheme: scheme, events: nil)
        return (reranker ? examples.reranker : examples.adapter).filter { !$0.labels.isEmpty }
    }

    /// `model` with a head per user of `users` fitted as the fit phase fits them, with `setting`:
    /// a proxy that has not seen the held-out cases.
    func fitProxy(_ model: FactorizedModel, on users: [UserExamples], setting: FitSetting) throws -> FactorizedModel {
        var proxy = model
        guard !users.isEmpty else { return proxy }
        try HeadTraining.fitHeads(
            model: &proxy, users: users, settings: config.fitTrainingSettings(setting), initialization: config.training.fitInitialization)
        return proxy
    }

    /// Held-out reranker cases with their features and each labelled item's item-alone score
    /// (cases whose answers do not cover every hit are left out).
    func rerankerHeldOut(_ cases: [LabelledCase], usersByID: [String: EngineUser]) throws
        -> [(held: LabelledCase, rows: [Float], scores: [Double])]
    {
        var out: [(held: LabelledCase, rows: [Float], scores: [Double])] = []
        for c in cases {
            guard let user = usersByID[c.query.userID] else { continue }
            let texts = c.query.hits.map { CaseBuilder.itemText(user.profile[$0.index], task: config.task) }
            let vectors = try embed(texts)
            let rows = rerankerFeatures(
                query: try queryVector(c.query), hits: zip(texts, c.query.hits).map { (vectors[$0.0] ?? [], $0.1.score) })
            let scores = try c.itemAnswers.map { try signedScore($0, gold: c.query.gold) }
            if scores.count == c.query.hits.count { out.append((c, rows, scores)) }
        }
        return out
    }

    /// The mean item-alone score of the r items `headScores` ranks first: what a reranker head's
    /// prompt would be built from, judged by each item's answer on its own.
    func topScore(_ headScores: [Float], itemScores: [Double]) -> Double {
        let top = Self.ranking(headScores).prefix(config.retrieval.r)
        return top.map { itemScores[$0] }.reduce(0, +) / Double(max(1, top.count))
    }

    /// The setting a scorer fits with, from each setting's per-case held-out scores (`scores[0]`
    /// the gentlest): the best mean (the gentler on ties) when a paired sign-flip test against the
    /// gentlest gives p ≤ `significance`, else the gentlest — a stronger fit must show on held-out
    /// data that it helps, because a head fitted on a few noisy labels can as easily hurt.
    /// - Returns: the index chosen and the test's p-value (nil when the gentlest had the best mean).
    public static func chooseFit(_ scores: [[Double]], significance: Double) -> (index: Int, pValue: Double?) {
        func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
        var best = 0
        for i in scores.indices where mean(scores[i]) > mean(scores[best]) { best = i }
        guard best != 0 else { return (0, nil) }
        let test = PairedSignificance.test(differences: zip(scores[best], scores[0]).map { $0 - $1 })
        return (test.pValue <= significance ? best : 0, test.pValue)
    }

    /// The last quarter (at least one) of each user's cases, for users with two or more: the rest
    /// stays to fit on.
    static func heldOut(_ cases: [LabelledCase]) -> [LabelledCase] {
        var byUser: [String: [LabelledCase]] = [:]
        var order: [String] = []
        for c in cases {
            if byUser[c.query.userID] == nil { order.append(c.query.userID) }
            byUser[c.query.userID, default: []].append(c)
        }
        return order.flatMap { id -> [LabelledCase] in
            let mine = byUser[id] ?? []
            guard mine.count >= 2 else { return [] }
            return Array(mine.suffix(max(1, mine.count / 4)))
        }
    }
}
