import LLMInterface

/// Why a sample stopped.
public enum FinishReason: String, Sendable, Codable {
    /// An end-of-generation token (not included in the output).
    case endOfGeneration
    /// A stop string appeared (the text is cut before it).
    case stop
    /// `maxTokens` were generated.
    case length
}

/// One generated sample.
public struct GeneratedSample: Sendable, Equatable {
    /// Generated token ids (without the end-of-generation token).
    public var tokens: [Int]
    /// Their text, cut before a stop string.
    public var text: String
    /// Why generation stopped.
    public var finishReason: FinishReason
    /// When requested, the highest logits before each sampled token (including a final
    /// end-of-generation token), best first.
    public var topLogits: [[TokenLogit]] = []
}

/// A token id with its logit.
public struct TokenLogit: Sendable, Equatable, Codable {
    /// Token id.
    public var id: Int
    /// Its logit.
    public var logit: Float

    /// The `k` largest logits, best first (ties by lower id).
    public static func top(_ k: Int, of logits: [Float]) -> [TokenLogit] {
        topIndices(logits, min(k, logits.count)).map { TokenLogit(id: $0, logit: logits[$0]) }
    }
}

/// Generates N samples for one prompt: the prompt is processed once, its KV cache shared by N
/// streams (each stream caches only its own tokens), and the N streams decoded together, one row
/// per stream in each forward pass (run.c's generate loop: forward, sample, stop, decode, emit —
/// for N rows at once).
public struct Generator {
    /// The model.
    public let model: LlamaModel
    /// The tokenizer (for stop strings and end-of-generation ids).
    public let tokenizer: BPETokenizer
    /// Activation buffers, reused across calls.
    public let state: LlamaState

    /// A generator with its own activation buffers.
    public init(model: LlamaModel, tokenizer: BPETokenizer, state: LlamaState? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.state = state ?? model.makeState()
    }

    /// Positions one sequence may use: the prompt and everything generated after it.
    public var contextLength: Int { state.maxContext }

    /// Refuses a prompt of `promptTokens` tokens that needs `followingTokens` more positions than the
    /// context holds. Callers check before allocating: the KV cache of an unchecked 10 MB prompt
    /// alone would take tens of gigabytes.
    public func checkContextLength(promptTokens: Int, followingTokens: Int) throws {
        try ContextLengthExceeded.check(promptTokens: promptTokens, followingTokens: followingTokens,
                                        contextLength: contextLength)
    }

    /// Processes `tokens` into a fresh cache with room for `extra` more positions, in chunks of
    /// `state.maxRows` rows. Returns the cache and the logits after the last token.
    /// - Throws: `ContextLengthExceeded` when `tokens` and `extra` do not fit, before allocating.
    public func prefill(_ tokens: [Int], extra: Int = 0) throws -> (cache: KVCache, logits: [Float]) {
        guard !tokens.isEmpty else { throw LLMError.emptyPrompt }
        try checkContextLength(promptTokens: tokens.count, followingTokens: extra)
        var caches = [model.makeCache(capacity: tokens.count + extra)]
        var logits: [Float] = []
        var start = 0
        while start < tokens.count {
            let chunk = Array(tokens[start..<min(tokens.count, start + state.maxRows)])
            let last = start + chunk.count == tokens.count
            let out = try state.timings.measure(.prefill) {
                try model.forward(tokens: chunk, streams: Array(repeating: 0, count: chunk.count), caches: &caches,
                                  state: state, logitRows: last ? [chunk.count - 1] : [])
            }
            if last { logits = out[0] }
            start += chunk.count
        }
        return (caches[0], logits)
    }

    /// Generates `n` samples after `promptTokens`; the prompt and `parameters.maxTokens` must fit
    /// in the context together (OpenAI's rule), else `ContextLengthExceeded` is thrown up front.
    /// - Parameters:
    ///   - promptTokens: The prompt (for chat, the ChatML text encoded with special tokens parsed).
    ///   - parameters: Sampling parameters; stream j samples with seed (parameters.seed, j).
    ///   - n: Number of samples.
    ///   - topLogits: When above 0, each completion records this many top logits per step.
    ///   - onToken: Called after each generated token with (stream, token id); return false to
    ///     stop all streams (cancellation between tokens).
    /// - Returns: `n` completions in stream order.
    public func generate(promptTokens: [Int], parameters: SamplingParameters, n: Int, topLogits: Int = 0,
                         onToken: ((Int, Int) -> Bool)? = nil) throws -> [GeneratedSample] {
        try parameters.validate()
        guard n > 0 else { throw LLMError.invalidParameter(name: "n", value: "\(n)") }
        guard n <= state.maxRows else { throw LLMError.invalidParameter(name: "n", value: "\(n) > \(state.maxRows)") }
        guard !promptTokens.isEmpty else { throw LLMError.emptyPrompt }
        try checkContextLength(promptTokens: promptTokens.count, followingTokens: parameters.maxTokens)
        let output = try aloneInBatch().runAlone(promptTokens: promptTokens,
                                                 work: .generate(parameters: parameters, n: n, topLogits: topLogits),
                                                 onToken: onToken)
        guard case .samples(let samples) = output else { preconditionFailure("a generate request ends with samples") }
        return samples
    }

    /// A batch engine over this generator's buffers for one request at a time, with no memory of
    /// earlier prompts: the synchronous calls run the same code as the scheduler's batches.
    func aloneInBatch() -> BatchEngine {
        BatchEngine(model: model, tokenizer: tokenizer, state: state, positionBudget: .max, prefixCachePositions: 0)
    }
}

/// The tokens and bytes of one sample, with stop-string handling.
struct StreamText {
    var tokens: [Int] = []
    var bytes: [UInt8] = []
    var cut: Int?

    mutating func append(_ token: Int, _ tokenBytes: [UInt8]) {
        tokens.append(token)
        bytes += tokenBytes
    }

    /// The text so far (up to a stop string once one was found).
    var text: String { String(decoding: bytes[..<(cut ?? bytes.count)], as: UTF8.self) }

    /// Looks for the earliest stop string; when found, remembers where the text ends and returns true.
    mutating func cutAtStop(_ stops: [String]) -> Bool {
        var earliest: Int?
        for stop in stops where !stop.isEmpty {
            let s = Array(stop.utf8)
            guard s.count <= bytes.count else { continue }
            for start in 0...(bytes.count - s.count) where bytes[start..<(start + s.count)].elementsEqual(s) {
                earliest = min(earliest ?? start, start)
                break
            }
        }
        cut = earliest
        return earliest != nil
    }
}
