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
        let (promptCache, promptLogits) = try prefill(promptTokens)
        let first = logSoftmax(promptLogits)
        var scores = answers.map { first[$0[0]] }

        // every answer token but the last, one stream per answer, as many answers per pass as fit
        var start = 0
        while start < answers.count {
            var rows = 0
            var end = start
            while end < answers.count && rows + answers[end].count - 1 <= state.maxRows {
                rows += answers[end].count - 1
                end += 1
            }
            if end == start { throw LLMError.contextFull(needed: answers[start].count - 1, capacity: state.maxRows) }
            var tokens: [Int] = []
            var streams: [Int] = []
            for (s, a) in answers[start..<end].enumerated() {
                tokens += a.dropLast()
                streams += Array(repeating: s, count: a.count - 1)
            }
            if !tokens.isEmpty {
                var caches = Array(repeating: model.makeCache(capacity: longest), count: end - start)
                // teacher forcing over given tokens: prefill, as the prompt is
                let logits = try state.timings.measure(.prefill) {
                    try model.forward(tokens: tokens, streams: streams, caches: &caches, prefix: promptCache,
                                      state: state, logitRows: Array(tokens.indices))
                }
                // row r predicts the token after tokens[r] in its own answer
                var r = 0
                for i in start..<end {
                    for t in answers[i].dropFirst() {
                        scores[i] += logSoftmax(logits[r])[t]
                        r += 1
                    }
                }
            }
            start = end
        }
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
