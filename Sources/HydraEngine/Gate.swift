import Foundation
import LaMP
import Numerics
import Training

/// The gate's decision on one of a user's heads.
public struct HeadGate: Sendable, Codable, Equatable {
    /// Whether the personal head is used (else the global one).
    public var usesPersonal: Bool
    /// Mean primary metric (signed: higher is better) on the gate's pseudo-queries under the
    /// personal head and under the global head; nil without gate data.
    public var personalScore: Double?
    public var globalScore: Double?
    /// Pseudo-queries the gate decided on.
    public var cases: Int
    /// Why, in words.
    public var reason: String

    /// `GateDecision.decide`'s rule for any head.
    public static func decide(personal: [Double], global: [Double]) -> HeadGate {
        let d = GateDecision.decide(personal: personal, global: global)
        return HeadGate(usesPersonal: d.usesPersonal, personalScore: d.personalScore, globalScore: d.globalScore, cases: d.cases, reason: d.reason)
    }
}

/// `hydra-gated`'s decision for one evaluation user: the adapter head's (these fields, as before
/// the reranker had a gate) and the reranker head's (`reranker`).
public struct GateDecision: Sendable, Codable, Equatable {
    /// Whether the user's answers are picked by the personal adapter head (else the global one, as
    /// `hydra-base`).
    public var usesPersonal: Bool
    /// Mean primary metric (signed: higher is better) on the gate's pseudo-queries of the
    /// personal adapter head's pick and of the global head's; nil without gate data.
    public var personalScore: Double?
    public var globalScore: Double?
    /// Pseudo-queries the gate decided on.
    public var cases: Int
    /// Why, in words.
    public var reason: String
    /// The reranker head's gate: the r items it ranks first among a held-out pseudo-query's
    /// labelled items, scored by their item-alone answers, against the global head's r; nil in
    /// results saved before it existed, and without a trained reranker.
    public var reranker: HeadGate? = nil

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
    /// The gate of `hydra-gated`: per evaluation user and per head, the last quarter (at least
    /// one) of their pseudo-queries is held out, a proxy head is fitted on the rest exactly as the
    /// fit phase fits the real one, and the proxy is compared with the global head on the held-out
    /// ones (the real head saw them, so it would judge itself too kindly): the adapter by its pick,
    /// the reranker by the item-alone answers of the r labelled items it puts first. A user with
    /// fewer than two pseudo-queries for a head gets the global one.
    /// - Parameters:
    ///   - shared: the reranker and adapter after the shared phase (before any fit).
    ///   - scheme: the label scheme the adapter trains with.
    ///   - fit: each head's fit setting (the fit phase's).
    func gate(
        eval: [EngineUser], labelled: [LabelledCase], shared: TrainedModels, scheme: AdapterLabels, fit: FitSelectionReport,
        usersByID: [String: EngineUser], events: EngineEventHandler?
    ) async throws -> [String: GateDecision] {
        let evalIDs = Set(eval.map(\.id))
        let own = labelled.filter { evalIDs.contains($0.query.userID) }
        /// The proxy: `model` with heads fitted on every case but the held-out ones.
        func proxy(_ model: FactorizedModel, held: [LabelledCase], setting: FitSetting, reranker: Bool) throws -> FactorizedModel {
            let users = try proxyExamples(own, without: held, reranker: reranker, scheme: scheme, usersByID: usersByID)
            return try fitProxy(model, on: users, setting: setting)
        }

        var decisions: [String: GateDecision] = [:]
        // the adapter
        let adapterHeld = Self.heldOut(own.filter { !$0.candidates.isEmpty })
        let adapterProxy = try shared.adapter.map { try proxy($0, held: adapterHeld, setting: fit.adapter, reranker: false) }
        for user in eval {
            let cases = adapterHeld.filter { $0.query.userID == user.id }
            guard let adapterProxy, !cases.isEmpty, adapterProxy.headIndex(of: user.id) != nil else {
                decisions[user.id] = GateDecision.decide(personal: [], global: [])
                if shared.adapter == nil { decisions[user.id]?.reason = "no trained adapter: global head" }
                continue
            }
            var personal: [Double] = []
            var global: [Double] = []
            for c in cases {
                try Task.checkCancellation()
                let picked = try await pick(c.candidates, query: try queryVector(c.query), user: user.id, models: TrainedModels(adapter: adapterProxy))
                personal.append(try signedScore(picked.personal, gold: c.query.gold))
                global.append(try signedScore(picked.base, gold: c.query.gold))
            }
            decisions[user.id] = GateDecision.decide(personal: personal, global: global)
        }
        // the reranker
        if let reranker = shared.reranker {
            let held = try rerankerHeldOut(Self.heldOut(own.filter { $0.query.labelsItems && !$0.itemAnswers.isEmpty }), usersByID: usersByID)
            let rerankerProxy = try proxy(reranker, held: held.map(\.held), setting: fit.reranker, reranker: true)
            for user in eval {
                var personal: [Double] = []
                var global: [Double] = []
                if rerankerProxy.headIndex(of: user.id) != nil {
                    for c in held where c.held.query.userID == user.id {
                        let (base, mine) = try score(rerankerProxy, rows: c.rows, count: c.scores.count, userID: user.id)
                        personal.append(topScore(mine, itemScores: c.scores))
                        global.append(topScore(base, itemScores: c.scores))
                    }
                }
                decisions[user.id]?.reranker = HeadGate.decide(personal: personal, global: global)
            }
        }
        for user in eval {
            guard let decision = decisions[user.id] else { continue }
            if decision.cases == 0 { events?(.note("hydra-gated: user \(user.id) has no held-out pseudo-queries for the adapter; using the global head")) }
            if let r = decision.reranker, r.cases == 0 {
                events?(.note("hydra-gated: user \(user.id) has no held-out pseudo-queries for the reranker; using the global head"))
            }
        }
        let kept = decisions.values.filter(\.usesPersonal).count
        let keptReranker = decisions.values.filter { $0.reranker?.usesPersonal == true }.count
        events?(.note("hydra-gated: personal adapter heads kept for \(kept) of \(eval.count) evaluation users, reranker heads for \(keptReranker)"))
        return decisions
    }
}
