import Foundation
import LaMP
import LLMInterface

/// One history item of a question as the reranker sees it (the TUI's Reranked view).
public struct RankedItem: Sendable, Codable, Equatable {
    /// The profile item's id.
    public var itemID: String
    /// Rank in the BM25 top-k (0-based) and score.
    public var bm25Rank: Int
    public var bm25Score: Double
    /// P(useful) under the shared base + global head, and under the user's head.
    public var baseScore: Float
    public var personalScore: Float
    /// Ranks (0-based) after reranking with each head.
    public var baseRank: Int
    public var personalRank: Int
}

/// One candidate answer of a question with the adapter's scores (the TUI's Outputs view).
public struct ScoredCandidate: Sendable, Codable, Equatable {
    public var candidate: Candidate
    /// P(good) under the global head and under the user's head.
    public var baseScore: Float
    public var personalScore: Float
}

/// Everything the engine decided for one evaluation question.
public struct QuestionTrace: Sendable, Codable, Equatable {
    public var questionID: String
    public var userID: String
    public var gold: String
    /// BM25 top-k with both heads' scores.
    public var items: [RankedItem]
    /// Candidates of the personalized (reranked) prompt, scored by the adapter's heads.
    public var candidates: [ScoredCandidate]
    /// Method name → prediction.
    public var predictions: [String: String]
    /// Method name → the LLM's text before `AnswerNormalizer`, where it differs from the prediction.
    public var rawPredictions: [String: String]? = nil
}

/// A run's results: metrics per method, per user, relative improvements, timings.
public struct HydraResults: Sendable, Codable {
    /// The LaMP task name.
    public var task: String
    /// The metric that ranks methods (`accuracy`, `mae`, `rouge-1`).
    public var primaryMetric: String
    /// Whether a larger primary metric is better.
    public var higherIsBetter: Bool
    /// Method → LaMP metric name → value.
    public var methods: [String: [String: Double]]
    /// The best prompt-based baseline (zero-shot, icl-random, rag) by the primary metric.
    public var bestPromptBaseline: String?
    /// Method → relative improvement of the primary metric over the best prompt baseline
    /// (positive = better, also for error metrics).
    public var relativeImprovement: [String: Double]
    /// User → method → metrics.
    public var users: [String: [String: [String: Double]]]
    /// User → primary-metric delta personalized (hydra) − base (hydra-base), sign-adjusted so
    /// positive means the personal heads helped.
    public var userDeltas: [String: Double]
    /// Stage → seconds.
    public var timings: [String: Double]
    /// Method → predictions in LaMP's outputs format.
    public var predictions: [String: [Gold]]
    /// Per-question traces.
    public var traces: [QuestionTrace]
    /// What the run wants its reader to know: fallbacks (held-out selection, the gate), counts.
    public var notes: [String]
    /// Method (those that pick among N candidates) → the metrics of the best candidate of its
    /// pool per question (oracle@N): the headroom a perfect adapter would reach.
    public var oracle: [String: [String: Double]] = [:]
    /// Method → questions whose answer was empty after `AnswerNormalizer` (scored as "").
    public var emptyAnswers: [String: Int] = [:]
    /// Held-out model selection: the grid, each setting's score and the choice.
    public var selection: SelectionReport? = nil
    /// Fit selection: the personal heads' fit grid, each setting's held-out scores and the choice.
    public var fitSelection: FitSelectionReport? = nil
    /// How often the personal heads decided differently from the global ones (nil in results
    /// saved before it was counted).
    public var headInfluence: HeadInfluence? = nil
    /// Evaluation user → whether `hydra-gated` kept the personal heads, and why.
    public var gate: [String: GateDecision] = [:]
    /// Paired randomization tests of `HydraResults.comparedPairs` over the questions.
    public var paired: [MethodComparison] = []
    /// Stage → what the LLM did in it (stages that asked it anything; empty when the client
    /// keeps no totals).
    public var llmUsage: [String: LLMUsage] = [:]

    /// The pairs a run tests: HYDRA against the prompt baselines it must beat and its own
    /// base-only ablation, and the gated variant against the global heads it falls back to.
    public static let comparedPairs: [(method: HydraMethod, baseline: HydraMethod)] = [
        (.hydra, .rag), (.hydra, .hydraBase), (.hydra, .zeroShot), (.hydraGated, .hydraBase), (.hydraGated, .zeroShot),
        (.zeroShot, .extractive),
    ]

    /// The primary metric of `task` and its direction.
    public static func primaryMetric(for task: LaMPTask) -> (name: String, higherIsBetter: Bool) {
        switch task.family {
        case .classification: return ("accuracy", true)
        case .rating: return ("mae", false)
        case .generation: return ("rouge-1", true)
        }
    }

    /// Fills `bestPromptBaseline`, `relativeImprovement` and `userDeltas` from the metrics.
    mutating func computeComparisons() {
        let sign: Double = higherIsBetter ? 1 : -1
        let baselines = HydraMethod.allCases.filter(\.isPromptBaseline).map(\.rawValue)
        bestPromptBaseline = baselines.filter { methods[$0]?[primaryMetric] != nil }
            .max { sign * (methods[$0]?[primaryMetric] ?? 0) < sign * (methods[$1]?[primaryMetric] ?? 0) }
        relativeImprovement = [:]
        if let best = bestPromptBaseline, let b = methods[best]?[primaryMetric], b != 0 {
            for (method, metrics) in methods {
                if let m = metrics[primaryMetric] { relativeImprovement[method] = sign * (m - b) / abs(b) }
            }
        }
        userDeltas = [:]
        for (user, byMethod) in users {
            if let p = byMethod[HydraMethod.hydra.rawValue]?[primaryMetric],
                let b = byMethod[HydraMethod.hydraBase.rawValue]?[primaryMetric]
            {
                userDeltas[user] = sign * (p - b)
            }
        }
    }
}

extension HydraResults {
    enum CodingKeys: String, CodingKey {
        case task, primaryMetric, higherIsBetter, methods, bestPromptBaseline, relativeImprovement, users, userDeltas, timings
        case predictions, traces, notes, oracle, emptyAnswers, selection, fitSelection, headInfluence, gate, paired, llmUsage
    }

    /// Results saved before oracle@N, empty-answer counts, selection and the gate existed decode
    /// with those empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        task = try c.decode(String.self, forKey: .task)
        primaryMetric = try c.decode(String.self, forKey: .primaryMetric)
        higherIsBetter = try c.decode(Bool.self, forKey: .higherIsBetter)
        methods = try c.decode([String: [String: Double]].self, forKey: .methods)
        bestPromptBaseline = try c.decodeIfPresent(String.self, forKey: .bestPromptBaseline)
        relativeImprovement = try c.decode([String: Double].self, forKey: .relativeImprovement)
        users = try c.decode([String: [String: [String: Double]]].self, forKey: .users)
        userDeltas = try c.decode([String: Double].self, forKey: .userDeltas)
        timings = try c.decode([String: Double].self, forKey: .timings)
        predictions = try c.decode([String: [Gold]].self, forKey: .predictions)
        traces = try c.decode([QuestionTrace].self, forKey: .traces)
        notes = try c.decode([String].self, forKey: .notes)
        oracle = try c.decodeIfPresent([String: [String: Double]].self, forKey: .oracle) ?? [:]
        emptyAnswers = try c.decodeIfPresent([String: Int].self, forKey: .emptyAnswers) ?? [:]
        selection = try c.decodeIfPresent(SelectionReport.self, forKey: .selection)
        fitSelection = try c.decodeIfPresent(FitSelectionReport.self, forKey: .fitSelection)
        headInfluence = try c.decodeIfPresent(HeadInfluence.self, forKey: .headInfluence)
        gate = try c.decodeIfPresent([String: GateDecision].self, forKey: .gate) ?? [:]
        paired = try c.decodeIfPresent([MethodComparison].self, forKey: .paired) ?? []
        llmUsage = try c.decodeIfPresent([String: LLMUsage].self, forKey: .llmUsage) ?? [:]
    }
}

/// A paired test of one method against a baseline over the same questions.
public struct MethodComparison: Sendable, Codable, Equatable {
    public var method: String
    public var baseline: String
    public var test: PairedSignificance
}
