import LaMP

/// One user of a session: the profile and the questions asked with it.
public struct WorkbenchUser: Hashable, Sendable {
    /// The user id (LaMP's `user_id`, or the id the data layer derived).
    public var id: String
    /// The user's history items.
    public var profile: [ProfileItem]
    /// The questions asked with this profile.
    public var questions: [Question]
    /// Known answers aligned with `questions`, when the split has them.
    public var golds: [Gold]?

    /// A user.
    public init(id: String, profile: [ProfileItem], questions: [Question], golds: [Gold]? = nil) {
        self.id = id
        self.profile = profile
        self.questions = questions
        self.golds = golds
    }
}

/// Everything the first screens show about a loaded session.
public struct WorkbenchData: Hashable, Sendable {
    /// The LaMP task of every question.
    public var task: LaMPTask
    /// The users in the data's order.
    public var users: [WorkbenchUser]
    /// The session's display name (shown in the header and status bar).
    public var title: String
    /// The retriever's display name, shown in the retrieved pane's title (`BM25`, `dense: minilm`).
    public var retriever: String

    /// A loaded session.
    public init(task: LaMPTask, users: [WorkbenchUser], title: String, retriever: String = "BM25") {
        self.task = task
        self.users = users
        self.title = title
        self.retriever = retriever
    }
}

/// One BM25 hit for a question.
public struct RetrievedItem: Hashable, Sendable {
    /// 1-based rank.
    public var rank: Int
    /// Index into the user's `profile`.
    public var profileIndex: Int
    /// The BM25 score.
    public var score: Double
    /// The query terms (as the retriever normalised them) that occur in the item.
    public var matchedTerms: [String]

    /// A hit.
    public init(rank: Int, profileIndex: Int, score: Double, matchedTerms: [String]) {
        self.rank = rank
        self.profileIndex = profileIndex
        self.score = score
        self.matchedTerms = matchedTerms
    }
}

/// The engine as the workbench sees it. The runtime calls it from background tasks, never
/// from the UI loop; long work should check `Task.isCancelled` (or `Task.checkCancellation()`).
public protocol WorkbenchBackend: Sendable {
    /// Loads the session, reporting progress as (fraction 0...1, what is happening).
    func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> WorkbenchData
    /// The BM25 top-`k` profile items of user `userIndex` for question `questionIndex`.
    func retrieve(userIndex: Int, questionIndex: Int, k: Int) async throws -> [RetrievedItem]
}
