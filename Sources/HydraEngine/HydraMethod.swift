import Foundation

/// The methods a run compares, under their result names.
public enum HydraMethod: String, CaseIterable, Codable, Sendable {
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

    /// Prompt-only baselines (no trained model).
    public var isPromptBaseline: Bool { self == .zeroShot || self == .iclRandom || self == .rag }
}
