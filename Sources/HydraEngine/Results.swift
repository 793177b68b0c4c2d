import Foundation
import LaMP

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
    /// LLM calls made by the run's client wrapper (hits + misses) if known.
    public var notes: [String]

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
