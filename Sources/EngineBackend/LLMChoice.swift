import Foundation
import LLM

/// Which LLM a run calls.
public enum LLMChoice: Sendable, Equatable {
    /// The embedded SmolLM2 runtime, computing its products with `precision`.
    case embedded(precision: ProductPrecision)
    /// An OpenAI-compatible server; `requestTimeout` is the seconds one attempt may take (nil:
    /// the client's default).
    case openAI(baseURL: URL, model: String, apiKeyVariable: String?, requestTimeout: Double? = nil)

    /// The model name asked of a server when neither a flag nor the session names one.
    public static let defaultModelName = "default"
}
