import Basics
import Foundation

/// Constrained choice for classification: the log-probability of each allowed answer after the
/// prompt, computed by teacher forcing. The prompt is processed once; every answer then runs in
/// its own stream after the shared prompt cache, all answers in one batched forward pass.
extension Generator {
    /// Log-probability of each option's tokens following `promptTokens`.
    /// - Parameters:
    ///   - promptTokens: The prompt, e.g. a ChatML prompt ending with the assistant header.
    ///   - options: The allowed answers as text (tokenized without special tokens, each non-empty).
    ///   - terminator: When given (e.g. `<|im_end|>`), its probability after each answer is added,
    ///     so an answer that is a prefix of another is not favoured.
    /// - Returns: One natural-log probability per option, in order.
    /// - Throws: `ContextLengthExceeded` when the prompt and the longest answer do not fit.
    public func choiceLogProbabilities(promptTokens: [Int], options: [String], terminator: Int? = nil) throws -> [Double] {
        let answers = options.map { tokenizer.encode($0) + (terminator.map { [$0] } ?? []) }
        if let empty = answers.firstIndex(where: { $0.isEmpty }) {
            throw LLMError.invalidParameter(name: "options[\(empty)]", value: "an empty answer")
        }
        let longest = answers.map(\.count).max() ?? 0
        // the last token of an answer is scored but never fed back, so it needs no position
        try checkContextLength(promptTokens: promptTokens.count, followingTokens: max(0, longest - 1))
        guard !promptTokens.isEmpty else { throw LLMError.emptyPrompt }
        // the prompt once; then every answer in its own stream after the shared prompt cache, as
        // many answers per forward pass as fit
        let output = try aloneInBatch().runAlone(promptTokens: promptTokens, work: .choose(answers: answers), onToken: nil)
        guard case .choice(let scores) = output else { preconditionFailure("a choose request ends with scores") }
        return scores
    }

    /// Draws `n` answers from the choice distribution softmax(logProbabilities / temperature);
    /// temperature 0 returns the most likely answer n times.
    public static func sampleChoices(logProbabilities: [Double], n: Int, temperature: Double, seed: UInt64) -> [Int] {
        guard let best = logProbabilities.indices.max(by: { logProbabilities[$0] < logProbabilities[$1] }) else { return [] }
        if temperature == 0 { return Array(repeating: best, count: n) }
        let top = logProbabilities[best]
        let weights = logProbabilities.map { exp(($0 - top) / temperature) }
        let total = weights.reduce(0, +)
        var rng = SplitMix64(seed: seed, stream: 0)
        return (0..<n).map { _ in
            let r = rng.uniform() * total
            var cumulative = 0.0
            for (i, w) in weights.enumerated() {
                cumulative += w
                if r < cumulative { return i }
            }
            return best
        }
    }
}

/// log(softmax(x))[token] in Double, without the whole vector (the same sums as `logSoftmax`).
func logProbability(of token: Int, _ x: UnsafeBufferPointer<Float>) -> Double {
    let top = Double(x.max() ?? 0)
    let logSum = log(x.reduce(0.0) { $0 + exp(Double($1) - top) }) + top
    return Double(x[token]) - logSum
}

/// log(softmax(x)) in Double.
func logSoftmax(_ x: [Float]) -> [Double] {
    let top = Double(x.max() ?? 0)
    let logSum = log(x.reduce(0.0) { $0 + exp(Double($1) - top) }) + top
    return x.map { Double($0) - logSum }
}

/// The normalised distribution of log-probabilities (softmax).
public func choiceDistribution(_ logProbabilities: [Double]) -> [Double] {
    let top = logProbabilities.max() ?? 0
    let weights = logProbabilities.map { exp($0 - top) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
}
