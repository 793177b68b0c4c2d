import Foundation
import LLMInterface

/// Stands in for the LLM while a what-if counts the calls the cache lacks: answers every call at
/// once with empty text (or flat scores), never the model. Put it under a cache that keeps no
/// results, with a `CallCountingLLMClient` between them, to price a job before running it.
struct DryRunLLMClient: LLMClient {
    let backendID: String
    let modelID: String

    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        Array(repeating: Completion(text: "", finishReason: "stop"), count: n)
    }

    func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        // uniform log-probabilities: every option equally likely
        Array(repeating: -log(Double(max(1, options.count))), count: options.count)
    }
}
