import Foundation
import LaMP

/// A generated dataset in memory: both splits and the users' latent preferences.
public struct DemoDataset: Sendable {
    /// The task of every question.
    public var task: LaMPTask
    /// Train-split questions (each with `userID` set) and their golds, in the same order.
    public var trainQuestions: [Question], trainGolds: [Gold]
    /// Dev-split questions and their golds, in the same order.
    public var devQuestions: [Question], devGolds: [Gold]
    /// Every user's latent preference (the contents of `demo_users.json`).
    public var users: DemoUsersFile
}

/// Generates LaMP-format datasets of synthetic users with latent, documented preferences.
///
/// Each user draws a preference (see `MovieGenerator`, `ReviewGenerator`, `HeadlineGenerator`,
/// `SubjectLineGenerator` for the four tasks), a profile of `spec.profileSize` items and `spec.questionsPerUser`
/// questions, all following the preference. Every user has their own splitmix64 stream derived
/// from the seed, the task and the user's index, so the output is byte-identical for a spec.
///
/// Files written by `write(to:)`:
/// - `train_questions.json`, `train_outputs.json`, `dev_questions.json`, `dev_outputs.json`:
///   LaMP format; questions carry `user_id`; all of a user's questions carry the same profile.
/// - `demo_users.json`: the latent preferences (`DemoUsersFile`), not part of the LaMP data.
///
/// Ids are decimal strings from one counter, unique over all questions and items: for each user
/// in order, first the question ids, then the profile item ids. User ids are `u0001`, `u0002`, …
public struct DemoGenerator: Sendable {
    /// The validated spec.
    public let spec: DemoSpec

    /// The name of the users file written beside the LaMP files.
    public static let usersFileName = "demo_users.json"

    /// Creates a generator.
    /// - Throws: `DemoError.invalidSpec` when a spec field is out of range.
    public init(spec: DemoSpec) throws {
        try spec.validate()
        self.spec = spec
    }

    /// Generates the whole dataset in memory.
    public func makeDataset() -> DemoDataset {
        let task = spec.task
        let fields = task.profileFields
        let trainCount = spec.trainUserCount
        var nextID = 1
        var dataset = DemoDataset(
            task: task, trainQuestions: [], trainGolds: [], devQuestions: [], devGolds: [],
            users: DemoUsersFile(spec: spec, users: []))
        for index in 0..<spec.users {
            var rng = SplitMix64(seed: spec.seed, stream: [UInt64(taskCode), UInt64(index)])
            let profileCount = rng.int(in: spec.profileSize)
            let userID = "u" + String(repeating: "0", count: max(0, 4 - String(index + 1).count)) + String(index + 1)
            let split: Split = index < trainCount ? .train : .dev
            var user = DemoUser(userID: userID, split: split, profileSize: profileCount, questionIDs: [])
            let content: GeneratedUser
            switch task {
            case .movieTag:
                let made = MovieGenerator.makeUser(
                    profileCount: profileCount, questionCount: spec.questionsPerUser, rng: &rng)
                user.movieTags = made.0
                content = made.1
            case .productRating:
                let made = ReviewGenerator.makeUser(
                    profileCount: profileCount, questionCount: spec.questionsPerUser, rng: &rng)
                user.rating = made.0
                content = made.1
            case .emailSubject:
                let made = SubjectLineGenerator.makeUser(
                    profileCount: profileCount, questionCount: spec.questionsPerUser, rng: &rng)
                user.subjectLine = made.0
                content = made.1
            default:
                let made = HeadlineGenerator.makeUser(
                    profileCount: profileCount, questionCount: spec.questionsPerUser, rng: &rng)
                user.headline = made.0
                content = made.1
            }
            let questionIDs = (0..<content.questions.count).map { String(nextID + $0) }
            nextID += content.questions.count
            let profile = content.profile.enumerated().map { k, record in
                ProfileItem(
                    id: String(nextID + k),
                    fields: [fields[0]: record.text, fields[1]: record.answer])
            }
            nextID += profile.count
            user.questionIDs = questionIDs
            for (k, record) in content.questions.enumerated() {
                let question = Question(
                    id: questionIDs[k], input: DemoGenerator.input(task: task, text: record.text),
                    profile: profile, userID: userID)
                let gold = Gold(id: questionIDs[k], output: record.answer)
                if split == .train {
                    dataset.trainQuestions.append(question)
                    dataset.trainGolds.append(gold)
                } else {
                    dataset.devQuestions.append(question)
                    dataset.devGolds.append(gold)
                }
            }
            dataset.users.users.append(user)
        }
        return dataset
    }

    /// Generates the dataset and writes the five files into `directory` (created if missing).
    /// - Returns: counts and the written paths.
    /// - Throws: `DemoError.cannotWrite` naming the directory or file that failed.
    @discardableResult
    public func write(to directory: URL) throws -> DemoSummary {
        let dataset = makeDataset()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DemoError.cannotWrite(path: directory.path, reason: error.localizedDescription)
        }
        // One JSON writer for the project: the same bytes Python's json.dump would write.
        let writes: [(String, (URL) throws -> Void)] = [
            ("train_questions.json", { try LaMPWriter.writeQuestions(dataset.trainQuestions, task: spec.task, to: $0) }),
            ("train_outputs.json", { try LaMPWriter.writeOutputs(dataset.trainGolds, task: spec.task, to: $0) }),
            ("dev_questions.json", { try LaMPWriter.writeQuestions(dataset.devQuestions, task: spec.task, to: $0) }),
            ("dev_outputs.json", { try LaMPWriter.writeOutputs(dataset.devGolds, task: spec.task, to: $0) }),
        ]
        var files: [URL] = []
        for (name, write) in writes {
            let url = directory.appendingPathComponent(name)
            do { try write(url) } catch {
                throw DemoError.cannotWrite(path: url.path, reason: String(describing: error))
            }
            files.append(url)
        }
        let usersURL = directory.appendingPathComponent(DemoGenerator.usersFileName)
        try dataset.users.write(to: usersURL)
        files.append(usersURL)
        return summary(of: dataset, directory: directory, files: files)
    }

    /// The LaMP input for an item text, with the task's exact template (HYDRA.md §2).
    static func input(task: LaMPTask, text: String) -> String {
        switch task {
        case .movieTag:
            "Which tag does this movie relate to among the following tags? Just answer with the tag name "
                + "without further explanation. tags: [\((task.labels ?? []).joined(separator: ", "))] "
                + "description: \(text)"
        case .productRating:
            "What is the score of the following review on a scale of 1 to 5? just answer with 1, 2, 3, 4, "
                + "or 5 without further explanation. review: \(text)"
        case .emailSubject:
            "Generate a subject for the following email: \(text)"
        default:
            "Generate a headline for the following article: \(text)"
        }
    }

    /// The number the task's user streams are keyed by (2, 3, 4 or 6).
    private var taskCode: Int {
        switch spec.task {
        case .movieTag: 2
        case .productRating: 3
        case .emailSubject: 6
        default: 4
        }
    }

    private func summary(of dataset: DemoDataset, directory: URL, files: [URL]) -> DemoSummary {
        let textField = spec.task.profileFields[0]
        var byID: [String: Question] = [:]
        for question in dataset.trainQuestions + dataset.devQuestions { byID[question.id] = question }
        var words = 0
        var items = 0
        for user in dataset.users.users {
            // a user's questions all carry the same profile: count it once
            guard let first = user.questionIDs.first, let question = byID[first] else { continue }
            for item in question.profile { words += TextKit.wordCount(item[textField]) }
            items += question.profile.count
        }
        let sizes = dataset.users.users.map(\.profileSize)
        let trainUsers = dataset.users.users.filter { $0.split == .train }.count
        return DemoSummary(
            spec: spec, directory: directory, files: files,
            trainUsers: trainUsers, devUsers: dataset.users.users.count - trainUsers,
            trainQuestions: dataset.trainQuestions.count, devQuestions: dataset.devQuestions.count,
            profileItems: items, minProfileSize: sizes.min() ?? 0, maxProfileSize: sizes.max() ?? 0,
            meanWordsPerItem: items > 0 ? Double(words) / Double(items) : 0)
    }
}
