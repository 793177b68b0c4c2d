import Foundation
import HydraEngine
import LaMP
import WorkbenchAPI

/// A session's data as the workbench lists it: users of the train split (training) and of the
/// dev split (evaluation), with their histories and questions.
struct SessionContents: Sendable {
    let data: LoadedData
    /// Train-split users first, then dev-split users, each in the data's order.
    let users: [UserEntry]
    /// The dev split's golds: the evaluation questions' answers.
    let evalGolds: [Gold]

    var task: LaMPTask { data.dataset.task }

    init(data: LoadedData) {
        self.data = data
        var users: [UserEntry] = []
        for (split, role) in [(Split.train, UserRole.train), (.dev, .eval)] {
            guard let splitData = data.dataset[split] else { continue }
            let golds = Dictionary((splitData.golds ?? []).map { ($0.id, $0.output) }, uniquingKeysWith: { a, _ in a })
            for user in UserIndex(questions: splitData.questions).users {
                let questions = user.questionIndices.map { splitData.questions[$0] }
                users.append(UserEntry(
                    id: user.id, role: role, profile: user.profile.map { ProfileEntry(id: $0.id, fields: $0.fields) },
                    questions: questions.map { QuestionEntry(id: $0.id, input: $0.input, content: $0.input, gold: golds[$0.id]) }))
            }
        }
        // the template is what every question of the session shares, so strip it across all
        let contents = QuestionContent.extract(users.flatMap { $0.questions.map(\.input) })
        var next = contents.makeIterator()
        for u in users.indices {
            for q in users[u].questions.indices { users[u].questions[q].content = next.next() ?? users[u].questions[q].input }
        }
        self.users = users
        self.evalGolds = data.dataset[.dev]?.golds ?? []
    }

    /// The user asking `questionID`, when it is `userID`'s.
    func user(_ userID: String, asking questionID: String) -> Int? {
        users.firstIndex { $0.id == userID && $0.questions.contains { $0.id == questionID } }
    }

    /// The users with `hasHeads` from the trained models.
    func users(heads models: TrainedModels) -> [UserEntry] {
        users.map { user in
            var user = user
            user.hasHeads = models.reranker?.headIndex(of: user.id) != nil && models.adapter?.headIndex(of: user.id) != nil
            return user
        }
    }

    /// What the workbench needs to know about the task.
    var taskInfo: TaskInfo {
        let (metric, higherIsBetter) = HydraResults.primaryMetric(for: task)
        return TaskInfo(
            name: task.rawValue, family: task.family.rawValue, primaryMetric: metric, higherIsBetter: higherIsBetter,
            profileFields: task.profileFields, answerField: task.answerField)
    }
}
