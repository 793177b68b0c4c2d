import Foundation
import LaMP

/// A query case with the LLM's behaviour on it: the answer with each retrieved item alone in the
/// prompt (→ reranker labels) and the N candidates of the BM25 top-r prompt (→ adapter labels,
/// made per label scheme by `adapterExamples(_:n:)`, so held-out selection can compare schemes
/// without a new LLM call).
public struct LabelledCase: Sendable {
    public let query: QueryCase
    /// The greedy answer with `query.hits[i]` alone in the prompt.
    public let itemAnswers: [String]
    /// One label per hit.
    public let rerankerLabels: [Int]
    /// The candidates of the BM25 top-r prompt (the greedy answer among them).
    public let candidates: [Candidate]
    /// The task, which decides how candidates are labelled.
    let task: LaMPTask

    /// Adapter examples under `scheme`: candidate (or gold) and label.
    /// - Parameter n: samples per prompt, for the scalars the undrawn gold positive gets.
    public func adapterExamples(_ scheme: AdapterLabels, n: Int) -> [(candidate: Candidate, label: Int)] {
        let examples = LabelRules.adapterExamples(
            candidates: candidates.map(\.text), gold: query.gold, task: task, scheme: scheme)
        let byText = Dictionary(candidates.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        // The gold positive of a generation task was not drawn. It gets the scalars of a candidate
        // drawn once: with a vote share of 0 the adapter would learn "rarest sample wins", which
        // at inference (every candidate drawn at least once) picks the oddest sample.
        let drawnOnce = 1 / Float(max(1, n + 1))
        return examples.map { example in
            (byText[example.text] ?? Candidate(text: example.text, voteShare: drawnOnce, probability: 0), example.label)
        }
    }
}

extension HydraPipeline {
    /// Calls the LLM for one case: one greedy answer per retrieved item (unless the case labels
    /// only the adapter), N candidates for the BM25 prompt; labels as §1 says. The calls go out
    /// together, so a batching backend (the embedded runtime, vLLM) runs them in one batch.
    func label(_ query: QueryCase, user: EngineUser) async throws -> LabelledCase {
        let itemPrompts = query.labelsItems
            ? query.hits.map { builder.prompt(input: query.input, items: [user.profile[$0.index]]) } : []
        let ragItems = query.hits.prefix(config.retrieval.r).map { user.profile[$0.index] }
        let oracle = self.oracle
        async let candidates = oracle.candidates(builder.prompt(input: query.input, items: ragItems), n: config.sampling.n)
        let answers = try await boundedConcurrentMap(count: itemPrompts.count, window: itemPrompts.count) { i in
            try await oracle.answer(itemPrompts[i])
        }
        let labels = LabelRules.rerankerLabels(answers: answers, gold: query.gold, task: config.task)
        return LabelledCase(query: query, itemAnswers: answers, rerankerLabels: labels, candidates: try await candidates,
                            task: config.task)
    }
}

extension HydraPipeline {
    /// The LLM calls and labels of one case (what the TUI shows as an item's training label).
    public func labelForInspection(_ query: QueryCase) async throws -> LabelledCase {
        let (train, eval) = try users()
        guard let user = (train + eval).first(where: { $0.id == query.userID }) else {
            throw HydraEngineError.invalidSetting(name: "user", value: query.userID)
        }
        return try await label(query, user: user)
    }
}
