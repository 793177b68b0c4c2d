import Foundation
import LLMInterface

/// What one stage of a run asked of the LLM and where the stage's time went, as `hydra run`
/// reports it (the stage table of `results.md`, and `llm` in `--json`).
public struct StageLLMFigures: Sendable, Codable, Equatable {
    /// The stage's wall seconds.
    public var seconds: Double
    /// The client's totals over the stage (calls, cache hits, tokens, runtime seconds).
    public var usage: LLMUsage
    /// Tokens the model read and sampled per second of the stage.
    public var tokensPerSecond: Double
    /// Shares of the stage's seconds in forward passes over given tokens (prompts, scored
    /// answers) and over sampled tokens, and in attention inside both; nil where the backend
    /// cannot tell (a server).
    public var prefillShare: Double?
    public var decodeShare: Double?
    public var attentionShare: Double?

    /// The figures of a stage that took `seconds` and cost `usage`.
    public init(seconds: Double, usage: LLMUsage) {
        self.seconds = seconds
        self.usage = usage
        let elapsed = max(seconds, 1e-9)
        tokensPerSecond = Double(usage.promptTokens + usage.generatedTokens) / elapsed
        prefillShare = usage.prefillSeconds.map { $0 / elapsed }
        decodeShare = usage.decodeSeconds.map { $0 / elapsed }
        attentionShare = usage.attentionSeconds.map { $0 / elapsed }
    }

    enum CodingKeys: String, CodingKey {
        case seconds, usage, tokensPerSecond = "tokens_per_s", prefillShare = "prefill_share"
        case decodeShare = "decode_share", attentionShare = "attention_share"
    }
}

extension HydraResults {
    /// Stage → its LLM figures, for the stages that asked the LLM anything.
    public var stageLLMFigures: [String: StageLLMFigures] {
        llmUsage.reduce(into: [:]) { figures, entry in
            figures[entry.key] = StageLLMFigures(seconds: timings[entry.key] ?? 0, usage: entry.value)
        }
    }
}
