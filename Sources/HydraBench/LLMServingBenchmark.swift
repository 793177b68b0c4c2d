import Foundation
import LLM
import LLMInterface

/// The embedded runtime as the engine and `hydra serve` call it, through `EmbeddedLLM`'s async
/// API (prompt pass included): a long prompt with 4 samples, and 8 different short prompts sent
/// at once against the same 8 one after another. `scripts/bench-peers/llm_peer.py` builds the
/// same prompts for llama.cpp, so keep the two in step.
/// - Parameter modelPath: The SmolLM2 GGUF file.
/// - Returns: `long_prompt_s` (4 samples × 32 tokens after a 1,000-token chat prompt),
///   `long_prompt_tokens`, `long_prompt_generated_tokens`, `long_prompt_prefill_s`,
///   `long_prompt_attention_s` (of that best run, from the runtime's own accounting),
///   `concurrent_8_s`, `sequential_8_s`, `concurrent_over_sequential`,
///   `concurrent_8_generated_tokens`. Times are the best of two runs and not scaled: a sample
///   that ends early shows in the generated-token counts.
public func runLLMServingBenchmark(modelPath: URL, precision: ProductPrecision = .exact) async throws -> [String: Double] {
    let llm = try EmbeddedLLM(modelURL: modelPath, precision: precision)
    let parameters = SamplingParameters(temperature: 0.8, topP: 0.95, topK: 40, maxTokens: 32, seed: 7)
    _ = try await llm.generate(.raw("warm up"), parameters: .greedy(maxTokens: 2), n: 1)  // page in the weights

    // one long prompt, 4 samples sharing its prompt pass
    let long = LongPromptCase.prompt(tokenCount: { llm.tokens(of: $0).count })
    var longTime = Double.infinity
    var longGenerated = 0
    var longUsage = LLMUsage()
    for _ in 0..<2 {
        let before = llm.usage
        var generated = 0
        let time = try await seconds {
            generated = try await llm.generate(long, parameters: parameters, n: 4).reduce(0) { $0 + ($1.tokenIDs?.count ?? 0) }
        }
        if time < longTime { (longTime, longGenerated, longUsage) = (time, generated, llm.usage - before) }
    }

    // 8 different prompts: at once, as 8 concurrent callers would send them, and one by one
    let prompts = ConcurrentCase.messages.map { LLMPrompt.chat([.user($0)]) }
    func concurrently() async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for prompt in prompts {
                group.addTask { try await llm.generate(prompt, parameters: parameters, n: 1)[0].tokenIDs?.count ?? 0 }
            }
            return try await group.reduce(0, +)
        }
    }
    func sequentially() async throws -> Int {
        var generated = 0
        for prompt in prompts { generated += try await llm.generate(prompt, parameters: parameters, n: 1)[0].tokenIDs?.count ?? 0 }
        return generated
    }
    var (concurrentTime, sequentialTime) = (Double.infinity, Double.infinity)
    var concurrentGenerated = 0
    // alternated, so a change in the machine's load falls on both
    for _ in 0..<2 {
        sequentialTime = min(sequentialTime, try await seconds { _ = try await sequentially() })
        concurrentTime = min(concurrentTime, try await seconds { concurrentGenerated = try await concurrently() })
    }

    return [
        "long_prompt_s": longTime,
        "long_prompt_tokens": Double(llm.tokens(of: long).count),
        "long_prompt_generated_tokens": Double(longGenerated),
        "long_prompt_prefill_s": longUsage.prefillSeconds ?? 0,
        "long_prompt_attention_s": longUsage.attentionSeconds ?? 0,
        "concurrent_8_s": concurrentTime,
        "sequential_8_s": sequentialTime,
        "concurrent_over_sequential": concurrentTime / sequentialTime,
        "concurrent_8_generated_tokens": Double(concurrentGenerated),
    ]
}

/// Wall seconds of `body`.
private func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// A chat prompt of exactly (or, when a word's tokens overshoot, just under) 1,000 tokens: an
/// instruction and a report built by cycling through varied sentences.
enum LongPromptCase {
    static let instruction = "Read the following report and write a long, detailed summary of it.\n\n"
    static let sentences = [
        "The committee reviewed the quarterly report on river water quality, noting 14 sites with improved oxygen levels.",
        "Runoff from farms upstream remains a concern after the heavy rains of early spring.",
        "Volunteers collected 312 samples between March and June, twice as many as last year.",
        "Nitrate concentrations fell at the northern stations but rose near the old mill.",
        "The city council asked engineers to estimate the cost of a new treatment basin.",
        "Fishermen reported more trout below the weir than at any time in the past decade.",
        "Two sensors failed in May and were replaced with a cheaper model from a local supplier.",
        "A public meeting on the findings is planned for the second week of September.",
    ]

    /// The prompt, given how the model tokenizes a prompt.
    static func prompt(tokenCount: (LLMPrompt) -> Int, target: Int = 1000) -> LLMPrompt {
        var words: [Substring] = []
        func prompt() -> LLMPrompt { .chat([.user(instruction + words.joined(separator: " "))]) }
        var next = 0
        while tokenCount(prompt()) < target {
            words += sentences[next % sentences.count].split(separator: " ")
            next += 1
        }
        while tokenCount(prompt()) > target { words.removeLast() }
        return prompt()
    }
}

/// Eight different requests of a few dozen tokens each (chat template and system prompt included).
enum ConcurrentCase {
    static let messages = [
        "Write a long story about a lighthouse keeper who finds a message in a bottle.",
        "Describe, in detail, how bread is baked in a small village bakery before dawn.",
        "Explain to a child why the sky changes colour at sunset, with an example.",
        "Write a letter from a sailor to his sister about his first week at sea.",
        "Tell the story of a fox who learns to share food with the other animals of the forest.",
        "Describe a busy train station in the morning, from the point of view of a pigeon.",
        "Write a travel guide paragraph about a quiet mountain town in winter.",
        "Explain how a bicycle gear works, step by step, for someone who has never ridden one.",
    ]
}
