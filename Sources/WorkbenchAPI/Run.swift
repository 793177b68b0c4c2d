import Foundation

/// A stage of a HYDRA run, in order.
public enum RunStage: String, Codable, CaseIterable, Hashable, Sendable {
    case load, labels, embed, training, fit, inference, evaluate
}

/// Where one stage of a run is.
public struct StageUpdate: Codable, Hashable, Sendable {
    /// Pending, running, done or failed.
    public enum State: Codable, Hashable, Sendable {
        case running
        case done(seconds: Double)
    }

    public var stage: RunStage
    public var state: State
    /// Units done and planned (prompts, texts, steps).
    public var done: Int
    public var total: Int
    /// The LLM's tokens per second in this stage, where the stage calls it.
    public var tokensPerSecond: Double?

    public init(stage: RunStage, state: State, done: Int, total: Int, tokensPerSecond: Double? = nil) {
        self.stage = stage
        self.state = state
        self.done = done
        self.total = total
        self.tokensPerSecond = tokensPerSecond
    }
}

/// Which loss curve a point belongs to.
public struct LossSeriesID: Codable, Hashable, Sendable, Comparable {
    /// `reranker` or `adapter`.
    public var model: String
    /// nil for the shared phase, else the user whose head is being fitted.
    public var userID: String?

    public init(model: String, userID: String?) {
        self.model = model
        self.userID = userID
    }

    /// `reranker/shared` or `adapter/u42`.
    public var name: String { model + "/" + (userID ?? "shared") }

    public static func < (a: LossSeriesID, b: LossSeriesID) -> Bool {
        (a.model, a.userID == nil ? 0 : 1, a.userID ?? "") < (b.model, b.userID == nil ? 0 : 1, b.userID ?? "")
    }
}

/// One training step's loss.
public struct LossPoint: Codable, Hashable, Sendable {
    public var series: LossSeriesID
    /// The step within the series, from 1.
    public var step: Int
    /// The planned steps of the series.
    public var totalSteps: Int
    public var loss: Float

    public init(series: LossSeriesID, step: Int, totalSteps: Int, loss: Float) {
        self.series = series
        self.step = step
        self.totalSteps = totalSteps
        self.loss = loss
    }
}

/// A finished series (what the store keeps of a run's training).
public struct LossSeries: Codable, Hashable, Sendable {
    public var id: LossSeriesID
    public var losses: [Float]

    public init(id: LossSeriesID, losses: [Float]) {
        self.id = id
        self.losses = losses
    }
}

/// A paired comparison of two methods over the same questions.
public struct PairedComparison: Codable, Hashable, Sendable {
    /// The method compared (`hydra`) and the one it is compared with (`rag`).
    public var method: String
    public var baseline: String
    /// Questions both methods answered.
    public var questions: Int
    /// Mean per-question difference of the primary metric, sign-adjusted so positive means
    /// `method` is better.
    public var meanDifference: Double
    /// Two-sided p-value of a paired randomization (sign-flip) test.
    public var pValue: Double
    /// Questions where `method` is better, worse, equal.
    public var better: Int
    public var worse: Int
    public var ties: Int

    public init(
        method: String, baseline: String, questions: Int, meanDifference: Double, pValue: Double, better: Int, worse: Int,
        ties: Int
    ) {
        self.method = method
        self.baseline = baseline
        self.questions = questions
        self.meanDifference = meanDifference
        self.pValue = pValue
        self.better = better
        self.worse = worse
        self.ties = ties
    }
}

/// How often the personal heads decided differently from the global heads on the same inputs.
public struct HeadChanges: Codable, Hashable, Sendable {
    /// Questions counted.
    public var questions: Int
    /// Questions whose prompt items (the reranker's top r, in order) differ between the heads.
    public var prompts: Int
    /// Questions whose adapter pick among the same candidates differs between the heads.
    public var picks: Int
    /// Questions whose hydra answer differs from hydra-base's.
    public var answers: Int

    public init(questions: Int, prompts: Int, picks: Int, answers: Int) {
        self.questions = questions
        self.prompts = prompts
        self.picks = picks
        self.answers = answers
    }
}

/// A finished run's results as the workbench shows them.
public struct RunReport: Codable, Hashable, Sendable {
    /// The metric that ranks methods and its direction.
    public var primaryMetric: String
    public var higherIsBetter: Bool
    /// Method names in display order.
    public var methodOrder: [String]
    /// Method → metric → value.
    public var methods: [String: [String: Double]]
    /// The best prompt baseline by the primary metric.
    public var bestPromptBaseline: String?
    /// Method → relative gain of the primary metric over the best prompt baseline (positive =
    /// better, also for error metrics).
    public var relativeImprovement: [String: Double]
    /// User → personal − base primary-metric delta, positive = the user's heads helped.
    public var userDeltas: [String: Double]
    /// Paired tests: hydra vs rag, hydra vs hydra-base.
    public var comparisons: [PairedComparison]
    /// Stage → seconds.
    public var timings: [String: Double]
    /// Free-form notes of the run.
    public var notes: [String]
    /// Every evaluated question's base and personal pick and score (empty in reports saved
    /// before they were recorded).
    public var questions: [QuestionOutcome] = []
    /// What the personal heads changed against the global heads (nil in reports saved before
    /// it was counted): personal heads that change nothing make hydra equal hydra-base.
    public var headChanges: HeadChanges? = nil

    public init(
        primaryMetric: String, higherIsBetter: Bool, methodOrder: [String], methods: [String: [String: Double]],
        bestPromptBaseline: String?, relativeImprovement: [String: Double], userDeltas: [String: Double],
        comparisons: [PairedComparison], timings: [String: Double], notes: [String], questions: [QuestionOutcome] = []
    ) {
        self.questions = questions
        self.primaryMetric = primaryMetric
        self.higherIsBetter = higherIsBetter
        self.methodOrder = methodOrder
        self.methods = methods
        self.bestPromptBaseline = bestPromptBaseline
        self.relativeImprovement = relativeImprovement
        self.userDeltas = userDeltas
        self.comparisons = comparisons
        self.timings = timings
        self.notes = notes
    }
}
