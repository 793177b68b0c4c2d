import LLMInterface

/// The embedded runtime counts exactly: calls and tokens as it serves them, seconds of work on
/// its queue, and the forward passes' prefill, decode and attention seconds from its state.
extension EmbeddedLLM: UsageReportingLLMClient {
    public var usage: LLMUsage {
        var usage = usageCounter.usage
        let forward = forwardTimings.snapshot
        usage.prefillSeconds = forward.prefill
        usage.decodeSeconds = forward.decode
        usage.attentionSeconds = forward.attention
        return usage
    }

    /// Counts a finished `generate` call: its prompt once (the samples share one prompt pass) and
    /// every sample's tokens.
    func recordGenerate(promptTokens: Int, samples: [GeneratedSample]) {
        let generated = samples.reduce(0) { $0 + $1.tokens.count }
        usageCounter.add {
            $0.generateCalls += 1
            $0.promptTokens += promptTokens
            $0.generatedTokens += generated
        }
    }

    /// Counts a finished `choose` call: the prompt and the answer tokens it scored.
    func recordChoose(promptTokens: Int, options: [String]) {
        let answerTokens = options.reduce(0) { $0 + tokenizer.encode($1).count }
        usageCounter.add {
            $0.chooseCalls += 1
            $0.promptTokens += promptTokens + answerTokens
        }
    }
}
