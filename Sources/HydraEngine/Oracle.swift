import Foundation
import LaMP
import LLMInterface
import Numerics

/// One of the N sampled answers, with how often it was drawn and (for constrained choice) the
/// LLM's probability of it.
public struct Candidate: Sendable, Equatable, Codable {
    /// The answer text (a label for classification tasks).
    public var text: String
    /// Fraction of the N samples that were this text.
    public var voteShare: Float
    /// The LLM's probability of this option (classification); 0 when unknown.
    public var probability: Float
}

/// The black-box LLM as the pipeline uses it: a greedy answer, or N sampled candidates.
///
/// Classification and rating tasks use constrained choice (`LLMClient.choose` over the task's
/// labels): the greedy answer is the most likely label, and the N candidates are drawn from the
/// label distribution (temperature 1) with a seed derived from the run seed and the prompt, so
/// both come from one (cached) call. Generation tasks call `generate`.
public struct LLMOracle: Sendable {
    /// The client (wrap it in `CachedLLMClient` so every call is cached).
    public let client: any LLMClient
    /// The task, which decides choice versus generation.
    public let task: LaMPTask
    /// New tokens per generated answer.
    public let maxNewTokens: Int
    /// Seed of sampling.
    public let seed: UInt64

    public init(client: any LLMClient, task: LaMPTask, maxNewTokens: Int, seed: UInt64) {
        self.client = client
        self.task = task
        self.maxNewTokens = maxNewTokens
        self.seed = seed
    }

    /// The prompt text as a one-message chat.
    public func llmPrompt(_ text: String) -> LLMPrompt { .chat([ChatMessage(role: "user", content: text)]) }

    /// The greedy answer to `text`.
    public func answer(_ text: String) async throws -> String {
        try Task.checkCancellation()
        if let labels = task.labels {
            let scores = try await client.choose(llmPrompt(text), options: labels)
            return labels[Self.argmax(scores)]
        }
        let completions = try await client.generate(llmPrompt(text), parameters: .greedy(maxTokens: maxNewTokens), n: 1)
        return Self.clean(completions.first?.text ?? "")
    }

    /// N candidates for `text`, distinct texts in order of first draw. For classification the N
    /// are drawn without replacement from the label distribution (so they are distinct labels, and
    /// a user's favourite label has a fair chance of being among them); their vote share is their
    /// probability renormalized over the drawn set. For generation they are N samples at
    /// temperature 1, with vote share = fraction of samples that are identical.
    public func candidates(_ text: String, n: Int) async throws -> [Candidate] {
        try Task.checkCancellation()
        if let labels = task.labels {
            let logProbs = try await client.choose(llmPrompt(text), options: labels)
            let top = logProbs.max() ?? 0
            let weights = logProbs.map { exp($0 - top) }
            let total = weights.reduce(0, +)
            // N draws without replacement (Gumbel top-N): distinct labels, likelier ones first
            var rng = Numerics.SplitMix64(seed: Numerics.SplitMix64.derivedSeed(seed, "candidates:" + text))
            let keys = logProbs.map { $0 - log(-log(max(rng.uniform(), 1e-12))) }
            let chosen = keys.indices.sorted { keys[$0] > keys[$1] }.prefix(n)
            let mass = chosen.reduce(0.0) { $0 + weights[$1] / total }
            return chosen.map { i in
                let p = weights[i] / total
                return Candidate(text: labels[i], voteShare: Float(mass > 0 ? p / mass : 0), probability: Float(p))
            }
        }
        let parameters = SamplingParameters(temperature: 1, topP: 1, maxTokens: maxNewTokens, seed: seed)
        let drawn = try await client.generate(llmPrompt(text), parameters: parameters, n: n).map { Self.clean($0.text) }
        var order: [String] = []
        var counts: [String: Int] = [:]
        for t in drawn {
            if counts[t] == nil { order.append(t) }
            counts[t, default: 0] += 1
        }
        return order.map { Candidate(text: $0, voteShare: Float(counts[$0] ?? 0) / Float(max(1, drawn.count)), probability: 0) }
    }

    /// The first non-empty line, trimmed, without surrounding quotes.
    static func clean(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).map { PythonText.strip(String($0)) }.first { !$0.isEmpty } ?? ""
        var t = Substring(line)
        while let first = t.first, first == "\"" || first == "'" { t = t.dropFirst() }
        while let last = t.last, last == "\"" || last == "'" { t = t.dropLast() }
        return String(t)
    }

    static func argmax<T: Comparable>(_ values: [T]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}
