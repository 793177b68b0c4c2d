import Foundation

/// Whether a user trains the shared base or is evaluated with a head of their own.
public enum UserRole: String, Codable, Hashable, Sendable {
    /// From the train split: trains the shared base and the global head.
    case train
    /// From the dev split: gets personal heads fitted on their history and is evaluated.
    case eval
}

/// What the workbench needs to know about the session's LaMP task.
public struct TaskInfo: Codable, Hashable, Sendable {
    /// The LaMP name (`LaMP_2`).
    public var name: String
    /// The family: `classification`, `rating` or `generation`.
    public var family: String
    /// The metric that ranks methods (`accuracy`, `mae`, `rouge-1`).
    public var primaryMetric: String
    /// Whether a larger primary metric is better (false for LaMP_3's MAE).
    public var higherIsBetter: Bool
    /// The profile fields in display order.
    public var profileFields: [String]
    /// The field that holds a history item's answer (`tag`, `score`, `title`), if any.
    public var answerField: String?

    public init(
        name: String, family: String, primaryMetric: String, higherIsBetter: Bool, profileFields: [String],
        answerField: String?
    ) {
        self.name = name
        self.family = family
        self.primaryMetric = primaryMetric
        self.higherIsBetter = higherIsBetter
        self.profileFields = profileFields
        self.answerField = answerField
    }
}

/// One history item.
public struct ProfileEntry: Codable, Hashable, Sendable {
    /// The item's id in the LaMP data.
    public var id: String
    /// The item's fields by name.
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    /// The value of `field`, or "".
    public subscript(field: String) -> String { fields[field] ?? "" }
}

/// One question of a user, with its gold answer when the split has one.
public struct QuestionEntry: Codable, Hashable, Sendable {
    /// The question id.
    public var id: String
    /// The whole LaMP input (template and content).
    public var input: String
    /// The part of the input that differs between the session's questions (the description,
    /// review or article without the template's shared prefix and suffix).
    public var content: String
    /// The gold answer, if known.
    public var gold: String?

    public init(id: String, input: String, content: String, gold: String?) {
        self.id = id
        self.input = input
        self.content = content
        self.gold = gold
    }
}

/// A user of the session.
public struct UserEntry: Codable, Hashable, Sendable {
    /// The user id.
    public var id: String
    /// Train or eval.
    public var role: UserRole
    /// The history.
    public var profile: [ProfileEntry]
    /// The questions asked with this history.
    public var questions: [QuestionEntry]
    /// Whether the session store holds personal heads (reranker and adapter) for this user.
    public var hasHeads: Bool

    public init(id: String, role: UserRole, profile: [ProfileEntry], questions: [QuestionEntry], hasHeads: Bool = false) {
        self.id = id
        self.role = role
        self.profile = profile
        self.questions = questions
        self.hasHeads = hasHeads
    }
}

/// Everything the workbench shows about a loaded session.
public struct SessionSnapshot: Codable, Hashable, Sendable {
    /// The session's display name.
    public var title: String
    /// The task.
    public var task: TaskInfo
    /// The retriever's display name (`BM25`, `dense: minilm`).
    public var retriever: String
    /// Users in the data's order (train split first).
    public var users: [UserEntry]
    /// The last finished run in the session store, if any: opening a session that was run shows
    /// its results without running anything.
    public var savedRun: RunReport?
    /// The loss series of the last run's training, if stored.
    public var savedLosses: [LossSeries]

    public init(
        title: String, task: TaskInfo, retriever: String, users: [UserEntry], savedRun: RunReport? = nil,
        savedLosses: [LossSeries] = []
    ) {
        self.title = title
        self.task = task
        self.retriever = retriever
        self.users = users
        self.savedRun = savedRun
        self.savedLosses = savedLosses
    }
}

/// One retrieved history item for a question.
public struct RetrievedHit: Codable, Hashable, Sendable {
    /// 1-based rank.
    public var rank: Int
    /// The profile item's id.
    public var itemID: String
    /// The retriever's score.
    public var score: Double
    /// The query terms (as the retriever normalised them) that occur in the item.
    public var matchedTerms: [String]

    public init(rank: Int, itemID: String, score: Double, matchedTerms: [String]) {
        self.rank = rank
        self.itemID = itemID
        self.score = score
        self.matchedTerms = matchedTerms
    }
}
