import Foundation
import LaMP
import LLMInterface
import Numerics

/// One of the N sampled answers, with how often it was drawn and (for constrained choice) the
/// LLM's probability of it.
public struct Candidate: Sendable, Equatable, Codable {
    /// The answer text (a label for classification tasks), after `AnswerNormalizer`.
    public var text: String
    /// Fraction of the N samples that were this text.
    public var voteShare: Float
    /// The LLM's probability of this option (classification); 0 when unknown.
    public var probability: Float
    /// The LLM's text before normalisation (the first draw that cleaned to `text`); nil when the
    /// same as `text` or not drawn (a gold positive).
    public var raw: String? = nil
    /// Whether this is the greedy answer (always in the pool).
    public var isGreedy: Bool? = nil
}

/// An LLM answer as scored (`text`) and as written (`raw`).
public struct GeneratedAnswer: Sendable, Equatable {
    public var text: String
    public var raw: String
}

/// The black-box LLM as the pipeline uses it: a greedy answer, or N sampled candidates.
///
/// Classification and rating tasks use constrained choice (`LLMClient.choose` over the task's
/// labels): the greedy answer is the most likely label, and the N candidates are drawn from the
/// label distribution (temperature 1) with a seed derived from the run seed and the prompt, so
/// both come from one (cached) call. Generation tasks call `generate`; every text goes through the
/// task's `AnswerNormalizer`, after the (cached) client, so changing the normaliser costs no call.
public struct LLMOracle: Sendable {
    /// The client (wrap it in `CachedLLMClient` so every call is cached).
    public let client: any LLMClient
    /// The task, which decides choice versus generation.
    public let task: LaMPTask
    /// New tokens per generated answer.
    public let maxNewTokens: Int
    /// Seed of sampling.
    public let seed: UInt64
    /// Temperature and nucleus of the N samples (generation tasks).
    public let temperature: Double
    public let topP: Double
    /// What every method's answer goes through.
    public let normalizer: AnswerNormalizer

    public init(
        client: any LLMClient, task: LaMPTask, maxNewTokens: Int, seed: UInt64, temperature: Double = 1, topP: Double = 1,
        normalizeAnswers: Bool = true
    ) {
        self.client = client
        self.task = task
        self.maxNewTokens = maxNewTokens
        self.seed = seed
        self.temperature = temperature
        self.topP = topP
        self.normalizer = AnswerNormalizer(task: task, enabled: normalizeAnswers)
    }

    /// The prompt text as a one-message chat.
    public func llmPrompt(_ text: String) -> LLMPrompt { .chat([ChatMessage(role: "user", content: text)]) }

    /// The greedy answer to `text`, normalised.
    public func answer(_ text: String) async throws -> String { try await generated(text).text }

    /// The greedy answer to `text`, normalised and raw.
    public func generated(_ text: String) async throws -> GeneratedAnswer {
        try Task.checkCancellation()
        if let labels = task.labels {
            let scores = try await client.choose(llmPrompt(text), options: labels)
            let label = labels[Self.argmax(scores)]
            return GeneratedAnswer(text: label, raw: label)
        }
        let completions = try await client.generate(llmPrompt(text), parameters: .greedy(maxTokens: maxNewTokens), n: 1)
        let raw = completions.first?.text ?? ""
        return GeneratedAnswer(text: normalizer.normalize(raw), raw: raw)
    }

    /// N candidates for `text`, distinct texts in order of first draw, the greedy answer always
    /// among them (first for generation), so an adapter that picks well can never do worse than
    /// the greedy answer by the pool it picks from. For classification the N are drawn without
    /// replacement from the label distribution (so they are distinct labels, and a user's
    /// favourite label has a fair chance of being among them), the most likely label replacing
    /// the last draw when it was not drawn; their vote share is their probability renormalized
    /// over the drawn set. For generation they are the greedy answer and N samples at
    /// `temperature` / `topP`, with vote share = fraction of the N + 1 that clean to the same text.
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
            var chosen = Array(keys.indices.sorted { keys[$0] > keys[$1] }.prefix(n))
            let greedy = Self.argmax(logProbs)
            if !chosen.contains(greedy) { chosen[chosen.count - 1] = greedy }
            let mass = chosen.reduce(0.0) { $0 + weights[$1] / total }
            return chosen.map { i in
                let p = weights[i] / total
                return Candidate(
                    text: labels[i], voteShare: Float(mass > 0 ? p / mass : 0), probability: Float(p), raw: nil,
                    isGreedy: i == greedy ? true : nil)
            }
        }
        let greedy = try await generated(text)
        let parameters = SamplingParameters(temperature: temperature, topP: topP, maxTokens: maxNewTokens, seed: seed)
        let sampled = try await client.generate(llmPrompt(text), parameters: parameters, n: n)
            .map { GeneratedAnswer(text: normalizer.normalize($0.text), raw: $0.text) }
        let drawn = [greedy] + sampled
        var order: [GeneratedAnswer] = []
        var counts: [String: Int] = [:]
        for answer in drawn {
            if counts[answer.text] == nil { order.append(answer) }
            counts[answer.text, default: 0] += 1
        }
        return order.enumerated().map { i, answer in
            Candidate(
                text: answer.text, voteShare: Float(counts[answer.text] ?? 0) / Float(drawn.count), probability: 0,
                raw: answer.raw == answer.text ? nil : answer.raw, isGreedy: i == 0 ? true : nil)
        }
    }

    static func argmax<T: Comparable>(_ values: [T]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}
