import Foundation
import WorkbenchAPI

/// The fake backend's head inspector, re-fits and cold start curves: fixed, readable numbers.
extension FakeBackend {
    static func heads(_ snapshot: SessionSnapshot) -> HeadsReport {
        let users = snapshot.users
        let rows = users.enumerated().map { i, user in
            let stats = HeadStats(
                fitExamples: user.role == .eval ? 24 + i : nil, finalLoss: user.role == .eval ? 0.30 + 0.05 * Double(i) : nil,
                denseNorm: 3.0 + Double(i), outputNorm: 1.0, distanceToMean: 0.5 + 0.25 * Double(i), distanceToGlobal: 1.0 + 0.5 * Double(i))
            return HeadRow(userID: user.id, role: user.role, reranker: stats, adapter: stats, delta: user.role == .eval ? (i == 0 ? 0.5 : -0.25) : nil)
        }
        let points = users.enumerated().map { i, user in
            HeadMapPoint(userID: user.id, role: user.role, x: Double(i) - 1, y: Double(i % 2) * 2 - 1)
        } + [HeadMapPoint(userID: nil, role: nil, x: 0, y: 0)]
        let maps = HeadScorer.allCases.map {
            HeadMap(scorer: $0, method: "PCA of probe scores", explainedVariance: [0.62, 0.21], points: points)
        }
        let preferences = users.map { user in
            LearnedPreference(
                userID: user.id,
                labelShifts: [LabelShift(label: "sci-fi", shift: 0.12), LabelShift(label: "comedy", shift: -0.08), LabelShift(label: "romance", shift: 0.02)],
                featureWeights: [],
                latent: user.id == "310" ? LatentPreference(summary: "favourite tags: sci-fi, romance", measure: "Spearman ρ", recovery: 0.8) : nil)
        }
        let moves = HeadMoves(
            items: [HeadMove(questionID: "q310a", subject: "a3", baseScore: 0.2, personalScore: 0.7)],
            candidates: [HeadMove(questionID: "q310b", subject: "comedy", baseScore: 0.6, personalScore: 0.3)])
        return HeadsReport(rows: rows, maps: maps, preferences: preferences, meanRecovery: 0.8, recoveryUsers: 1, moves: ["310": moves])
    }

    static func plan(_ snapshot: SessionSnapshot, _ userID: String, _ edit: HistoryEdit) -> RefitPlan {
        let size = (snapshot.users.first { $0.id == userID }?.profile.count ?? 0) - edit.removed.count + edit.added.count
        return RefitPlan(userID: userID, historySize: size, pseudoQueries: max(0, size - 1), llmCalls: 5 * max(0, size - 1), newLLMCalls: 2 * edit.removed.count)
    }

    static func refit(_ snapshot: SessionSnapshot, _ userID: String, _ edit: HistoryEdit) -> RefitReport {
        let user = snapshot.users.first { $0.id == userID }
        let kept = (user?.profile ?? []).map(\.id).filter { !edit.removed.contains($0) }
        let questions = (user?.questions ?? []).map { question in
            RefitQuestion(
                questionID: question.id, gold: question.gold ?? "",
                before: FitSide(ranking: (user?.profile ?? []).map(\.id), pick: "comedy", basePick: "comedy", metric: question.gold == "comedy" ? 1 : 0, baseMetric: 0),
                after: FitSide(ranking: kept.reversed(), pick: "sci-fi", basePick: "comedy", metric: question.gold == "sci-fi" ? 1 : 0, baseMetric: 0))
        }
        return RefitReport(
            userID: userID, edit: edit, plan: plan(snapshot, userID, edit), questions: questions, deltaBefore: 0.0, deltaAfter: 0.5,
            rerankerLoss: 0.31, adapterLoss: 0.42, newLLMCalls: 2, seconds: 0.8)
    }

    static func coldStart(_ userIDs: [String]) -> ColdStartReport {
        ColdStartReport(
            userIDs: userIDs.isEmpty ? ["310", "42"] : userIDs, metric: "accuracy", higherIsBetter: true,
            points: [ColdStartPoint(size: 5, values: [0.2, 0.3, 0.4]), ColdStartPoint(size: 10, values: [0.4, 0.5, 0.5]),
                     ColdStartPoint(size: 20, values: [0.5, 0.6, 0.7]), ColdStartPoint(size: 30, values: [0.6, 0.6, 0.7])],
            baseOnly: 0.45, rag: 0.35, seeds: 3, newLLMCalls: 120, seconds: 95, notes: [])
    }
}
