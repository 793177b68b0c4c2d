import LLMInterface

/// Streams one sample token by token: `for token in iterator { ... }` (after mlx-swift-lm's
/// `TokenIterator`). The prompt is processed when the iterator is made; each `next()` samples a
/// token and runs one forward pass.
public struct TokenIterator: Sequence, IteratorProtocol {
    private let generator: Generator
    private var sampler: Sampler
    private var cache: [KVCache]
    private var logits: [Float]
    private var text = StreamText()
    /// Why the stream ended, once it has.
    public private(set) var finishReason: FinishReason?
    /// The error that ended the stream early, if any.
    public private(set) var error: Error?

    /// Processes `promptTokens` and prepares to sample with `parameters`.
    public init(generator: Generator, promptTokens: [Int], parameters: SamplingParameters) throws {
        try parameters.validate()
        self.generator = generator
        sampler = Sampler(parameters: parameters)
        let (cache, logits) = try generator.prefill(promptTokens, extra: parameters.maxTokens)
        self.cache = [cache]
        self.logits = logits
        if parameters.maxTokens == 0 { finishReason = .length }
    }

    /// The text generated so far (cut before a stop string).
    public var generatedText: String { text.text }

    /// The next token id, or nil at end of generation, a stop string, `maxTokens`, or an error.
    public mutating func next() -> Int? {
        guard finishReason == nil else { return nil }
        let token = sampler.sample(logits)
        if generator.tokenizer.endOfGenerationIDs.contains(token) {
            finishReason = .endOfGeneration
            return nil
        }
        text.append(token, generator.tokenizer.bytes(of: token))
        if text.cutAtStop(sampler.parameters.stop) {
            finishReason = .stop
            return nil
        }
        if text.tokens.count >= sampler.parameters.maxTokens {
            finishReason = .length
            return token
        }
        do {
            logits = try generator.model.forward(tokens: [token], streams: [0], caches: &cache, state: generator.state,
                                                 logitRows: [0])[0]
        } catch {
            self.error = error
            finishReason = .length
        }
        return token
    }
}
