import Foundation
import HydraEngine
import WorkbenchAPI

extension EngineWorkbenchBackend {
    /// Everything the per-user report shows: the user's history, heads, learned preference, one
    /// inspection per question, the fit's loss curves and (when given) the cold start curve.
    public func reportData(userID: String, coldStart: ColdStartReport?, emit: @escaping @Sendable (JobEvent) -> Void = { _ in })
        async throws -> UserReportData
    {
        let snapshot = try await sessionSnapshot(emit: emit)
        guard let user = snapshot.users.first(where: { $0.id == userID }) else {
            throw RunSetupError("no user \"\(userID)\" in session \"\(snapshot.title)\"")
        }
        let heads = try await heads(emit: emit)
        var questions: [QuestionReport] = []
        for (i, question) in user.questions.enumerated() {
            emit(.progress(Double(i) / Double(max(1, user.questions.count)), "inspecting \(question.id)"))
            questions.append(try await inspect(questionID: question.id, emit: { _ in }))
        }
        return UserReportData(
            session: snapshot.title, task: snapshot.task, user: user, head: heads.rows.first { $0.userID == userID },
            preference: heads.preference(of: userID), moves: heads.moves[userID], questions: questions,
            losses: snapshot.savedLosses.filter { $0.id.userID == userID }, coldStart: coldStart, headMaps: heads.maps)
    }
}
