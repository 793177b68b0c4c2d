import Foundation
import LaMP

/// What to generate: the task, how many users, the seed and the sizes.
///
/// Users are split by user, as LaMP's user-based split does: the first `trainUserCount` users
/// form the train split and the rest the dev split. Every user gets `questionsPerUser`
/// questions, all carrying the same profile, whose size is drawn uniformly from `profileSize`.
public struct DemoSpec: Sendable, Hashable, Codable {
    /// The task: `LaMP_2` (movie tags), `LaMP_3` (review scores), `LaMP_4` (headlines) or `LaMP_6`
    /// (subject lines of technical emails).
    public var task: LaMPTask
    /// Number of users in both splits together.
    public var users: Int
    /// The seed; the same spec always gives byte-identical files.
    public var seed: UInt64
    /// Profile sizes are uniform in this range (inclusive).
    public var profileSize: ClosedRange<Int>
    /// Questions per user (each with the user's whole profile).
    public var questionsPerUser: Int
    /// Share of users in the train split (rounded; at least one user in each split when
    /// there are two or more users).
    public var trainFraction: Double

    /// The tasks the generator knows how to make.
    public static let supportedTasks: [LaMPTask] = [.movieTag, .productRating, .newsHeadline, .emailSubject]

    /// Creates a spec; the defaults give 24 train and 12 dev users with 20-200 item profiles.
    public init(
        task: LaMPTask, users: Int = 36, seed: UInt64 = 1, profileSize: ClosedRange<Int> = 20...200,
        questionsPerUser: Int = 4, trainFraction: Double = 2.0 / 3.0
    ) {
        self.task = task
        self.users = users
        self.seed = seed
        self.profileSize = profileSize
        self.questionsPerUser = questionsPerUser
        self.trainFraction = trainFraction
    }

    /// How many of the users go to the train split.
    public var trainUserCount: Int {
        let wanted = Int((Double(users) * trainFraction).rounded())
        if users < 2 { return min(max(wanted, 0), users) }
        return min(max(wanted, 1), users - 1)
    }

    /// Checks every field, naming the first bad one.
    /// - Throws: `DemoError.invalidSpec` naming the field, its value and the problem.
    public func validate() throws {
        guard DemoSpec.supportedTasks.contains(task) else {
            throw DemoError.invalidSpec(
                field: "task", value: task.rawValue, reason: "only LaMP_2, LaMP_3, LaMP_4 and LaMP_6 are supported")
        }
        guard (1...9999).contains(users) else {
            throw DemoError.invalidSpec(field: "users", value: "\(users)", reason: "must be in 1...9999")
        }
        guard profileSize.lowerBound >= 1, profileSize.upperBound <= 100_000 else {
            throw DemoError.invalidSpec(
                field: "profileSize", value: "\(profileSize)", reason: "must lie within 1...100000")
        }
        guard (1...1000).contains(questionsPerUser) else {
            throw DemoError.invalidSpec(
                field: "questionsPerUser", value: "\(questionsPerUser)", reason: "must be in 1...1000")
        }
        guard trainFraction.isFinite, (0...1).contains(trainFraction) else {
            throw DemoError.invalidSpec(
                field: "trainFraction", value: "\(trainFraction)", reason: "must be in 0...1")
        }
    }

    // MARK: - Codable (flat, snake_case keys, defaults for omitted fields)

    private enum CodingKeys: String, CodingKey {
        case task, users, seed
        case profileMin = "profile_min"
        case profileMax = "profile_max"
        case questionsPerUser = "questions_per_user"
        case trainFraction = "train_fraction"
    }

    /// Decodes a spec; only `task` is required, other fields take the initialiser's defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .task)
        guard let task = LaMPTask(name: name) else {
            throw DecodingError.dataCorruptedError(
                forKey: .task, in: c, debugDescription: "unknown LaMP task '\(name)'")
        }
        let defaults = DemoSpec(task: task)
        let low = try c.decodeIfPresent(Int.self, forKey: .profileMin) ?? defaults.profileSize.lowerBound
        let high = try c.decodeIfPresent(Int.self, forKey: .profileMax) ?? defaults.profileSize.upperBound
        guard low <= high else {
            throw DecodingError.dataCorruptedError(
                forKey: .profileMax, in: c, debugDescription: "profile_max \(high) < profile_min \(low)")
        }
        self.init(
            task: task,
            users: try c.decodeIfPresent(Int.self, forKey: .users) ?? defaults.users,
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed,
            profileSize: low...high,
            questionsPerUser: try c.decodeIfPresent(Int.self, forKey: .questionsPerUser)
                ?? defaults.questionsPerUser,
            trainFraction: try c.decodeIfPresent(Double.self, forKey: .trainFraction)
                ?? defaults.trainFraction)
    }

    /// Encodes the spec with flat snake_case keys (`profile_min`, `profile_max`, …).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(task.rawValue, forKey: .task)
        try c.encode(users, forKey: .users)
        try c.encode(seed, forKey: .seed)
        try c.encode(profileSize.lowerBound, forKey: .profileMin)
        try c.encode(profileSize.upperBound, forKey: .profileMax)
        try c.encode(questionsPerUser, forKey: .questionsPerUser)
        try c.encode(trainFraction, forKey: .trainFraction)
    }
}

/// What `DemoGenerator.write(to:)` produced.
public struct DemoSummary: Sendable, Hashable {
    /// The spec the data was generated from.
    public var spec: DemoSpec
    /// The directory the files were written to.
    public var directory: URL
    /// Every written file, in writing order: the four LaMP files, then `demo_users.json`.
    public var files: [URL]
    /// Number of users in the train and dev splits.
    public var trainUsers: Int, devUsers: Int
    /// Number of questions in the train and dev splits.
    public var trainQuestions: Int, devQuestions: Int
    /// Distinct profile items over all users.
    public var profileItems: Int
    /// Smallest and largest profile.
    public var minProfileSize: Int, maxProfileSize: Int
    /// Mean words per profile item text (description, review or article).
    public var meanWordsPerItem: Double
}

/// Errors of the demo data generator.
public enum DemoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A spec field is out of range or unsupported.
    case invalidSpec(field: String, value: String, reason: String)
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// `demo_users.json` could not be read or decoded.
    case unreadableUsersFile(path: String, reason: String)

    /// A one-line message naming the field or path and the problem.
    public var description: String {
        switch self {
        case .invalidSpec(let field, let value, let reason):
            "demo spec: \(field) = \(value): \(reason)"
        case .cannotWrite(let path, let reason):
            "\(path): cannot write: \(reason)"
        case .unreadableUsersFile(let path, let reason):
            "\(path): cannot read demo users: \(reason)"
        }
    }
}
