import Foundation
import LaMP

/// The methods a run compares, under their result names.
public enum HydraMethod: String, CaseIterable, Codable, Sendable {
    /// The first ten words of the input's text (generation tasks only: a floor any LLM answer
    /// should beat; classification and rating tasks have no such baseline and skip it).
    case extractive
    /// The input alone.
    case zeroShot = "zero-shot"
    /// r random profile items in the prompt.
    case iclRandom = "icl-random"
    /// BM25 top-r in the prompt.
    case rag
    /// Reranked top-r (user's head), one greedy call.
    case hydraReranker = "hydra-reranker"
    /// BM25 top-r prompt, N samples, the adapter (user's head) picks.
    case hydraAdapter = "hydra-adapter"
    /// Reranked prompt, N samples, adapter picks (both with the user's heads).
    case hydra
    /// As `hydra`, but both models use the shared base + global head (no personal heads).
    case hydraBase = "hydra-base"
    /// As `hydra`, but per evaluation user and per head a gate on held-out pseudo-queries of their
    /// own keeps the personal head (reranker, adapter) only when it does no worse there than the
    /// global head, else uses the global one; a head with no such pseudo-queries falls back to the
    /// global head.
    case hydraGated = "hydra-gated"

    /// Prompt-only baselines (no trained model).
    public var isPromptBaseline: Bool { self == .zeroShot || self == .iclRandom || self == .rag }

    /// Whether the method picks among N sampled candidates.
    public var samplesCandidates: Bool { self == .hydraAdapter || self == .hydra || self == .hydraBase || self == .hydraGated }

    /// Whether the method runs on `task` (extractive only on generation tasks).
    public func applies(to task: LaMPTask) -> Bool { self != .extractive || task.family == .generation }
}
