import Foundation
import HydraEngine
import SessionStore
import Training
import WorkbenchAPI

/// The head inspector's contents from a run's saved heads: statistics, the two maps, what each
/// adapter head learned (against the latent preference when the data is a generated demo), and
/// what each user's heads move most on their questions.
struct HeadsReportBuilder {
    let pipeline: HydraPipeline
    let store: SessionStore
    let models: TrainedModels
    let saved: HydraResults?
    /// The demo generator's users, when the data has them.
    let latent: [String: DemoUserLatent]

    /// A demo user's latent preference, kept opaque here so the builder can be tested without files.
    typealias DemoUserLatent = @Sendable (HeadPreference) -> LatentPreference?

    func report() throws -> HeadsReport {
        let (train, eval) = try pipeline.users()
        var rows: [HeadRow] = []
        var maps: [HeadMap] = []
        var statistics: [HeadScorer: [String: HeadStats]] = [:]
        for scorer in HeadScorer.allCases {
            guard let model = model(scorer) else { continue }
            statistics[scorer] = try stats(model, scorer: scorer)
            let projection = HeadMapProjection(model: model, probe: try pipeline.probeRows(adapter: scorer == .adapter))
            let roles = Dictionary((train + eval).map { ($0.id, $0.role) }, uniquingKeysWith: { a, _ in a })
            maps.append(HeadMap(
                scorer: scorer, method: HeadMapProjection.method, explainedVariance: projection.explainedVariance,
                points: zip(projection.userIDs, projection.points).map { id, p in
                    HeadMapPoint(userID: id, role: id.flatMap { roles[$0] }.map(Self.role), x: p.x, y: p.y)
                }))
        }
        for user in eval + train {
            let reranker = statistics[.reranker]?[user.id], adapter = statistics[.adapter]?[user.id]
            guard reranker != nil || adapter != nil else { continue }
            rows.append(HeadRow(
                userID: user.id, role: Self.role(user.role), reranker: reranker, adapter: adapter, delta: saved?.userDeltas[user.id]))
        }
        var preferences: [LearnedPreference] = []
        for row in rows where row.adapter != nil {
            guard let learned = try pipeline.preference(userID: row.userID, models: models) else { continue }
            preferences.append(LearnedPreference(
                userID: row.userID, labelShifts: learned.labelShifts.map { LabelShift(label: $0.label, shift: $0.shift) },
                featureWeights: learned.featureWeights.map { FeatureWeight(feature: $0.feature, correlation: $0.correlation) },
                latent: latent[row.userID]?(learned)))
        }
        let recovered = preferences.compactMap { $0.latent?.recovery }
        return HeadsReport(
            rows: rows, maps: maps, preferences: preferences,
            meanRecovery: recovered.isEmpty ? nil : recovered.reduce(0, +) / Double(recovered.count), recoveryUsers: recovered.count,
            moves: moves())
    }

    private func model(_ scorer: HeadScorer) -> FactorizedModel? { scorer == .reranker ? models.reranker : models.adapter }

    static func role(_ role: EngineUser.Role) -> UserRole { role == .train ? .train : .eval }

    /// Norms and distances of every head, with its example count and final fit loss from the store.
    private func stats(_ model: FactorizedModel, scorer: HeadScorer) throws -> [String: HeadStats] {
        let name = scorer.rawValue
        let fitted = try HydraPipeline.exampleCounts(name: name + "-fit", in: store)
        let joint = try HydraPipeline.exampleCounts(name: name + "-joint", in: store)
        var out: [String: HeadStats] = [:]
        for summary in HeadInspector.summaries(model) {
            let losses = try store.losses(phase: "\(name)/fit/\(summary.userID)")
            out[summary.userID] = HeadStats(
                fitExamples: fitted[summary.userID] ?? joint[summary.userID], finalLoss: losses.last.map(Double.init),
                denseNorm: summary.denseNorm, outputNorm: summary.outputNorm, distanceToMean: summary.distanceToMean,
                distanceToGlobal: summary.distanceToGlobal)
        }
        return out
    }

    /// Per user, the retrieved items and candidates whose score their heads change most.
    private func moves(limit: Int = 5) -> [String: HeadMoves] {
        var out: [String: HeadMoves] = [:]
        for trace in saved?.traces ?? [] {
            var moves = out[trace.userID] ?? HeadMoves(items: [], candidates: [])
            moves.items += trace.items.map {
                HeadMove(questionID: trace.questionID, subject: $0.itemID, baseScore: Double($0.baseScore), personalScore: Double($0.personalScore))
            }
            moves.candidates += trace.candidates.map {
                HeadMove(
                    questionID: trace.questionID, subject: $0.candidate.text, baseScore: Double($0.baseScore),
                    personalScore: Double($0.personalScore))
            }
            out[trace.userID] = moves
        }
        return out.mapValues { moves in
            func top(_ list: [HeadMove]) -> [HeadMove] {
                Array(list.sorted { abs($0.change) > abs($1.change) || (abs($0.change) == abs($1.change) && $0.subject < $1.subject) }.prefix(limit))
            }
            return HeadMoves(items: top(moves.items), candidates: top(moves.candidates))
        }
    }
}
