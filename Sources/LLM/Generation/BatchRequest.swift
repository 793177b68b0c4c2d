import LLMInterface

/// What a request asks of the batch: N samples, or the log-probability of each allowed answer.
public enum BatchWork: Sendable {
    /// `n` samples with `parameters`; with `topLogits` > 0 each step's highest logits are kept.
    case generate(parameters: SamplingParameters, n: Int, topLogits: Int = 0)
    /// Constrained choice over answers given as token ids (each non-empty).
    case choose(answers: [[Int]])
}

/// What a finished request returns.
public enum BatchOutput: Sendable {
    case samples([GeneratedSample])
    case choice([Double])
}

/// One request while it is in the batch: its prompt's cache, and the state of its samples or of
/// its answers. Touched only by the `BatchEngine` that runs it (one thread).
final class BatchRequest {
    enum Phase { case waiting, prefilling, decoding, scoringAnswers }

    let promptTokens: [Int]
    let work: BatchWork
    /// Called after each generated token with (sample, token id); false cancels this request.
    let onToken: ((Int, Int) -> Bool)?
    /// Read before every step: a cancelled request leaves the batch, the others go on.
    let isCancelled: () -> Bool
    /// Called once, with the output or the error that ended the request.
    let finish: (Result<BatchOutput, Error>) -> Void

    var phase = Phase.waiting
    /// The prompt's keys and values: the shared prefix of every sample or answer stream.
    var prompt = KVCache.empty
    /// Logits after the last prompt token, once the prompt is processed.
    var promptLogits: [Float] = []

    // generation: one entry per sample stream
    var samplers: [Sampler] = []
    var texts: [StreamText] = []
    var finished: [FinishReason?] = []
    var streamCaches: [KVCache] = []
    var logits: [[Float]] = []
    var recorded: [[[TokenLogit]]] = []

    // choice: the score of each answer so far, and the answers not yet run
    var scores: [Double] = []
    var nextAnswer = 0

    init(promptTokens: [Int], work: BatchWork, onToken: ((Int, Int) -> Bool)?, isCancelled: @escaping () -> Bool,
         finish: @escaping (Result<BatchOutput, Error>) -> Void) {
        self.promptTokens = promptTokens
        self.work = work
        self.onToken = onToken
        self.isCancelled = isCancelled
        self.finish = finish
    }

    /// Positions the request may hold at most: its prompt, plus every sample's tokens or every
    /// answer's (the budget admits a request only when this fits beside the others).
    var reservedPositions: Int {
        switch work {
        case .generate(let parameters, let n, _): promptTokens.count + n * parameters.maxTokens
        case .choose(let answers): promptTokens.count + answers.reduce(0) { $0 + max(0, $1.count - 1) }
        }
    }

    /// Sample streams still generating.
    var liveStreams: [Int] { finished.indices.filter { finished[$0] == nil } }
}
