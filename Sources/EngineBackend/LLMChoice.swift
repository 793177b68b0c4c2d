import Foundation

/// Which LLM a run calls.
public enum LLMChoice: Sendable, Equatable {
    /// The embedded SmolLM2 runtime.
    case embedded
    /// An OpenAI-compatible server.
    case openAI(baseURL: URL, model: String, apiKeyVariable: String?)

    /// The model name asked of a server when neither a flag nor the session names one.
    public static let defaultModelName = "default"
}
