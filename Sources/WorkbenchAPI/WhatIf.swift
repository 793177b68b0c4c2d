import Foundation

/// A what-if edit of one user's history: items taken out and items written in.
public struct HistoryEdit: Codable, Hashable, Sendable {
    /// Ids of profile items left out of the history.
    public var removed: Set<String>
    /// New items, as field → text (the task's profile fields).
    public var added: [ProfileEntry]

    public init(removed: Set<String> = [], added: [ProfileEntry] = []) {
        self.removed = removed
        self.added = added
    }

    public var isEmpty: Bool { removed.isEmpty && added.isEmpty }

    /// `-3 +1` style summary.
    public var summary: String {
        isEmpty ? "unchanged" : "−\(removed.count) +\(added.count)"
    }
}

/// What a re-fit will cost, known before it starts.
public struct RefitPlan: Codable, Hashable, Sendable {
    public var userID: String
    /// Items in the edited history.
    public var historySize: Int
    /// Pseudo-queries built from the edited history (the head's data).
    public var pseudoQueries: Int
    /// LLM calls the labels need, and how many of them are not in the cache.
    public var llmCalls: Int
    public var newLLMCalls: Int

    public init(userID: String, historySize: Int, pseudoQueries: Int, llmCalls: Int, newLLMCalls: Int) {
        self.userID = userID
        self.historySize = historySize
        self.pseudoQueries = pseudoQueries
        self.llmCalls = llmCalls
        self.newLLMCalls = newLLMCalls
    }
}

/// One question's state under one fit of the user's heads.
public struct FitSide: Codable, Hashable, Sendable {
    /// Retrieved item ids in the personal reranker's order.
    public var ranking: [String]
    /// The adapter's pick (the `hydra` answer) and the base-only answer.
    public var pick: String
    public var basePick: String
    /// Primary metric of each against the gold.
    public var metric: Double
    public var baseMetric: Double

    public init(ranking: [String], pick: String, basePick: String, metric: Double, baseMetric: Double) {
        self.ranking = ranking
        self.pick = pick
        self.basePick = basePick
        self.metric = metric
        self.baseMetric = baseMetric
    }
}

/// One question before and after a re-fit.
public struct RefitQuestion: Codable, Hashable, Sendable {
    public var questionID: String
    public var gold: String
    public var before: FitSide
    public var after: FitSide

    public init(questionID: String, gold: String, before: FitSide, after: FitSide) {
        self.questionID = questionID
        self.gold = gold
        self.before = before
        self.after = after
    }

    /// Item → (rank before, rank after), 1-based; nil where the item is not retrieved.
    public var rankChanges: [(itemID: String, before: Int?, after: Int?)] {
        var ids = after.ranking
        for id in before.ranking where !ids.contains(id) { ids.append(id) }
        return ids.map { id in
            (id, before.ranking.firstIndex(of: id).map { $0 + 1 }, after.ranking.firstIndex(of: id).map { $0 + 1 })
        }
    }
}

/// A finished re-fit: the new heads' effect on every question of the user.
public struct RefitReport: Codable, Hashable, Sendable {
    public var userID: String
    public var edit: HistoryEdit
    public var plan: RefitPlan
    public var questions: [RefitQuestion]
    /// The user's personal − base delta of the primary metric (sign-adjusted: positive = the
    /// heads helped), under the run's heads and under the re-fitted ones.
    public var deltaBefore: Double?
    public var deltaAfter: Double?
    /// Final fit losses of the new reranker and adapter heads.
    public var rerankerLoss: Double?
    public var adapterLoss: Double?
    /// LLM calls that missed the cache, and the wall time.
    public var newLLMCalls: Int
    public var seconds: Double

    public init(
        userID: String, edit: HistoryEdit, plan: RefitPlan, questions: [RefitQuestion], deltaBefore: Double?,
        deltaAfter: Double?, rerankerLoss: Double?, adapterLoss: Double?, newLLMCalls: Int, seconds: Double
    ) {
        self.userID = userID
        self.edit = edit
        self.plan = plan
        self.questions = questions
        self.deltaBefore = deltaBefore
        self.deltaAfter = deltaAfter
        self.rerankerLoss = rerankerLoss
        self.adapterLoss = adapterLoss
        self.newLLMCalls = newLLMCalls
        self.seconds = seconds
    }
}

/// The primary metric at one history size.
public struct ColdStartPoint: Codable, Hashable, Sendable {
    /// Items the heads were fitted on (the most recent ones).
    public var size: Int
    /// One value per seed (mean over the users' questions).
    public var values: [Double]

    public init(size: Int, values: [Double]) {
        self.size = size
        self.values = values
    }

    public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    public var low: Double { values.min() ?? .nan }
    public var high: Double { values.max() ?? .nan }
}

/// How much history a head needs: the metric against profile size, with the lines it should beat.
public struct ColdStartReport: Codable, Hashable, Sendable {
    /// The users averaged over.
    public var userIDs: [String]
    public var metric: String
    public var higherIsBetter: Bool
    public var points: [ColdStartPoint]
    /// The run's base-only (`hydra-base`) and `rag` metric on the same questions.
    public var baseOnly: Double?
    public var rag: Double?
    public var seeds: Int
    public var newLLMCalls: Int
    public var seconds: Double
    /// Sizes skipped or merged, users without questions, and the like.
    public var notes: [String]

    public init(
        userIDs: [String], metric: String, higherIsBetter: Bool, points: [ColdStartPoint], baseOnly: Double?, rag: Double?,
        seeds: Int, newLLMCalls: Int, seconds: Double, notes: [String]
    ) {
        self.userIDs = userIDs
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        self.points = points
        self.baseOnly = baseOnly
        self.rag = rag
        self.seeds = seeds
        self.newLLMCalls = newLLMCalls
        self.seconds = seconds
        self.notes = notes
    }
}

/// Everything the per-user report shows.
public struct UserReportData: Codable, Hashable, Sendable {
    public var session: String
    public var task: TaskInfo
    public var user: UserEntry
    public var head: HeadRow?
    public var preference: LearnedPreference?
    public var moves: HeadMoves?
    /// One inspection per question of the user (three rankings, candidates, outputs).
    public var questions: [QuestionReport]
    /// The user's fit loss curves (reranker and adapter).
    public var losses: [LossSeries]
    public var coldStart: ColdStartReport?
    /// The maps of every head (the inspector's), where the user's heads are placed among the others.
    public var headMaps: [HeadMap]

    public init(
        session: String, task: TaskInfo, user: UserEntry, head: HeadRow?, preference: LearnedPreference?, moves: HeadMoves?,
        questions: [QuestionReport], losses: [LossSeries], coldStart: ColdStartReport?, headMaps: [HeadMap] = []
    ) {
        self.session = session
        self.task = task
        self.user = user
        self.head = head
        self.preference = preference
        self.moves = moves
        self.questions = questions
        self.losses = losses
        self.coldStart = coldStart
        self.headMaps = headMaps
    }
}
