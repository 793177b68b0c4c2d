import Foundation
import LaMP
import Numerics
import Training

/// `hydra-gated`'s decision for one evaluation user.
public struct GateDecision: Sendable, Codable, Equatable {
    /// Whether the user's answers use the personal heads (else the global ones, as `hydra-base`).
    public var usesPersonal: Bool
    /// Mean primary metric (signed: higher is better) on the gate's pseudo-queries of the
    /// personal adapter head's pick and of the global head's; nil without gate data.
    public var personalScore: Double?
    public var globalScore: Double?
    /// Pseudo-queries the gate decided on.
    public var cases: Int
    /// Why, in words.
    public var reason: String

    /// Keeps the personal head unless it does worse than the global head on the same cases; with
    /// no cases it falls back to the global head. So on the gate's own data the choice scores at
    /// least what the global head scores.
    /// - Parameters:
    ///   - personal: per case, the personal head's pick's signed metric.
    ///   - global: per case, the global head's pick's signed metric (same cases, same order).
    public static func decide(personal: [Double], global: [Double]) -> GateDecision {
        let count = min(personal.count, global.count)
        guard count > 0 else {
            return GateDecision(
                usesPersonal: false, personalScore: nil, globalScore: nil, cases: 0,
                reason: "no held-out pseudo-queries to decide on: global head")
        }
        let p = personal.prefix(count).reduce(0, +) / Double(count)
        let g = global.prefix(count).reduce(0, +) / Double(count)
        let keep = p >= g
        return GateDecision(
            usesPersonal: keep, personalScore: p, globalScore: g, cases: count,
            reason: keep ? "personal head no worse than global on \(count) pseudo-queries"
                : "personal head worse than global on \(count) pseudo-queries: global head")
    }
}

extension HydraPipeline {
    /// The gate of `hydra-gated`: per evaluation user, the last quarter (at least one) of their
    /// adapter pseudo-queries is held out, a proxy head is fitted on the rest exactly as the fit
    /// phase fits the real one, and the proxy's picks are compared with the global head's on the
    /// held-out ones (the real head saw them, so it would judge itself too kindly). A user with
    /// fewer than two pseudo-queries falls back to the global head.
    /// - Parameters:
    ///   - shared: the adapter after the shared phase (before any fit).
    ///   - scheme: the label scheme the adapter trains with.
    ///   - setting: the adapter's fit setting (the fit phase's).
    func gate(
        eval: [EngineUser], labelled: [LabelledCase], shared: FactorizedModel?, scheme: AdapterLabels, setting: FitSetting,
        usersByID: [String: EngineUser], events: EngineEventHandler?
    ) async throws -> [String: GateDecision] {
        var decisions: [String: GateDecision] = [:]
        guard let shared else {
            for user in eval {
                decisions[user.id] = GateDecision(
                    usesPersonal: false, personalScore: nil, globalScore: nil, cases: 0, reason: "no trained adapter: global head")
            }
            return decisions
        }
        var held: [String: [LabelledCase]] = [:]
        var fitting: [LabelledCase] = []
        for user in eval {
            let cases = labelled.filter { $0.query.userID == user.id && !$0.candidates.isEmpty }
            guard cases.count >= 2 else { continue }
            let count = max(1, cases.count / 4)
            held[user.id] = Array(cases.suffix(count))
            fitting += cases.dropLast(count)
        }
        var proxy = shared
        if !fitting.isEmpty {
            let examples = try buildExamples(fitting, users: usersByID, scheme: scheme, events: nil).adapter
            var settings = config.fitTrainingSettings
            settings.epochs = setting.epochs
            settings.learningRate = setting.learningRate
            try HeadTraining.fitHeads(
                model: &proxy, users: examples, settings: settings, initialization: config.training.fitInitialization)
        }
        for user in eval {
            guard let cases = held[user.id], proxy.headIndex(of: user.id) != nil else {
                decisions[user.id] = GateDecision.decide(personal: [], global: [])
                events?(.note("hydra-gated: user \(user.id) has no held-out pseudo-queries; using the global head"))
                continue
            }
            var personal: [Double] = []
            var global: [Double] = []
            for c in cases {
                try Task.checkCancellation()
                let picked = try await pick(c.candidates, query: try queryVector(c.query), user: user.id, models: TrainedModels(adapter: proxy))
                personal.append(try signedScore(picked.personal, gold: c.query.gold))
                global.append(try signedScore(picked.base, gold: c.query.gold))
            }
            decisions[user.id] = GateDecision.decide(personal: personal, global: global)
        }
        let kept = decisions.values.filter(\.usesPersonal).count
        events?(.note("hydra-gated: personal heads kept for \(kept) of \(eval.count) evaluation users"))
        return decisions
    }
}
