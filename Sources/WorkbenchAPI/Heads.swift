import Foundation

/// The two scorers that have per-user heads.
public enum HeadScorer: String, Codable, CaseIterable, Hashable, Sendable {
    case reranker, adapter
}

/// One user's head of one scorer against the others.
public struct HeadStats: Codable, Hashable, Sendable {
    /// Examples the head was fitted on (rows of the user's labelled pairs); nil in stores
    /// written before the counts were kept.
    public var fitExamples: Int?
    /// The last step's loss of the head's fit, when the store kept the curve (training users'
    /// heads are trained jointly, so they have no curve of their own).
    public var finalLoss: Double?
    /// L2 norms of the dense and the output weights.
    public var denseNorm: Double
    public var outputNorm: Double
    /// L2 distance of all the head's parameters to the mean user head and to the global head.
    public var distanceToMean: Double
    public var distanceToGlobal: Double

    public init(
        fitExamples: Int?, finalLoss: Double?, denseNorm: Double, outputNorm: Double, distanceToMean: Double,
        distanceToGlobal: Double
    ) {
        self.fitExamples = fitExamples
        self.finalLoss = finalLoss
        self.denseNorm = denseNorm
        self.outputNorm = outputNorm
        self.distanceToMean = distanceToMean
        self.distanceToGlobal = distanceToGlobal
    }
}

/// A row of the head inspector: a user and their two heads.
public struct HeadRow: Codable, Hashable, Sendable {
    public var userID: String
    public var role: UserRole
    public var reranker: HeadStats?
    public var adapter: HeadStats?
    /// The user's personal − base primary-metric delta (eval users after a run).
    public var delta: Double?

    public init(userID: String, role: UserRole, reranker: HeadStats?, adapter: HeadStats?, delta: Double?) {
        self.userID = userID
        self.role = role
        self.reranker = reranker
        self.adapter = adapter
        self.delta = delta
    }

    /// The head of `scorer`.
    public func stats(_ scorer: HeadScorer) -> HeadStats? { scorer == .reranker ? reranker : adapter }
}

/// A head as a point of the 2-D map.
public struct HeadMapPoint: Codable, Hashable, Sendable {
    /// nil: the global head.
    public var userID: String?
    public var role: UserRole?
    public var x: Double
    public var y: Double

    public init(userID: String?, role: UserRole?, x: Double, y: Double) {
        self.userID = userID
        self.role = role
        self.x = x
        self.y = y
    }
}

/// Every head of one scorer projected to two dimensions.
public struct HeadMap: Codable, Hashable, Sendable {
    public var scorer: HeadScorer
    /// How the points were made, in a sentence (shown under the map).
    public var method: String
    /// Share of the variance each of the two axes explains.
    public var explainedVariance: [Double]
    /// The user heads, then the global head (`userID` nil).
    public var points: [HeadMapPoint]

    public init(scorer: HeadScorer, method: String, explainedVariance: [Double], points: [HeadMapPoint]) {
        self.scorer = scorer
        self.method = method
        self.explainedVariance = explainedVariance
        self.points = points
    }
}

/// How much a user's adapter head raises or lowers one answer against the global head.
public struct LabelShift: Codable, Hashable, Sendable {
    public var label: String
    /// Mean P(useful) under the user's head − under the global head, over the user's queries.
    public var shift: Double

    public init(label: String, shift: Double) {
        self.label = label
        self.shift = shift
    }
}

/// How a generation head's score shift follows one property of the candidates.
public struct FeatureWeight: Codable, Hashable, Sendable {
    /// `length`, `capitalised`, `upper case`, `question`, `shared words`.
    public var feature: String
    /// Pearson correlation of the feature with the head's shift over the probe candidates.
    public var correlation: Double

    public init(feature: String, correlation: Double) {
        self.feature = feature
        self.correlation = correlation
    }
}

/// The user's latent preference, where the data says it (the demo generator's `demo_users.json`),
/// and whether the head recovered it.
public struct LatentPreference: Codable, Hashable, Sendable {
    /// The preference in words, e.g. `favourites: comedy, action` or `bias +1`.
    public var summary: String
    /// What `recovery` measures, e.g. `Spearman ρ of label shifts and the latent tag ranking`.
    public var measure: String
    /// -1...1 (correlations) or 0...1 (share of style attributes matched); nil when the
    /// preference gives nothing to recover (a neutral rater).
    public var recovery: Double?

    public init(summary: String, measure: String, recovery: Double?) {
        self.summary = summary
        self.measure = measure
        self.recovery = recovery
    }
}

/// What a user's adapter head learned, in the task's terms.
public struct LearnedPreference: Codable, Hashable, Sendable {
    public var userID: String
    /// Classification and rating tasks: one shift per label, in the task's label order.
    public var labelShifts: [LabelShift]
    /// Generation tasks: the candidate properties the head rewards.
    public var featureWeights: [FeatureWeight]
    public var latent: LatentPreference?

    public init(userID: String, labelShifts: [LabelShift], featureWeights: [FeatureWeight], latent: LatentPreference?) {
        self.userID = userID
        self.labelShifts = labelShifts
        self.featureWeights = featureWeights
        self.latent = latent
    }
}

/// A retrieved item or a candidate whose score the user's head moves against the global head.
public struct HeadMove: Codable, Hashable, Sendable {
    public var questionID: String
    /// The profile item's id (reranker) or the candidate's text (adapter).
    public var subject: String
    public var baseScore: Double
    public var personalScore: Double

    public init(questionID: String, subject: String, baseScore: Double, personalScore: Double) {
        self.questionID = questionID
        self.subject = subject
        self.baseScore = baseScore
        self.personalScore = personalScore
    }

    public var change: Double { personalScore - baseScore }
}

/// The items and candidates a user's heads move most (from the run's question traces).
public struct HeadMoves: Codable, Hashable, Sendable {
    public var items: [HeadMove]
    public var candidates: [HeadMove]

    public init(items: [HeadMove], candidates: [HeadMove]) {
        self.items = items
        self.candidates = candidates
    }
}

/// The head inspector's contents.
public struct HeadsReport: Codable, Hashable, Sendable {
    public var rows: [HeadRow]
    public var maps: [HeadMap]
    /// One per user with an adapter head.
    public var preferences: [LearnedPreference]
    /// Mean `latent.recovery` over the users that have one, and how many.
    public var meanRecovery: Double?
    public var recoveryUsers: Int
    /// User → what their heads move most.
    public var moves: [String: HeadMoves]

    public init(
        rows: [HeadRow], maps: [HeadMap], preferences: [LearnedPreference], meanRecovery: Double?, recoveryUsers: Int,
        moves: [String: HeadMoves]
    ) {
        self.rows = rows
        self.maps = maps
        self.preferences = preferences
        self.meanRecovery = meanRecovery
        self.recoveryUsers = recoveryUsers
        self.moves = moves
    }

    public func map(_ scorer: HeadScorer) -> HeadMap? { maps.first { $0.scorer == scorer } }
    public func preference(of userID: String) -> LearnedPreference? { preferences.first { $0.userID == userID } }
}
