import Foundation
import LaMP
import LLMInterface

/// Counts the tokens the LLM really processes (prompt and completions), for the progress line's
/// tokens/s. It wraps the backend *under* the generation cache, so cache hits count nothing.
public final class TokenMeter: UsageReportingLLMClient, @unchecked Sendable {
    private let base: any LLMClient
    private let counter: any TokenCounter
    private let lock = NSLock()
    private var total = 0

    public var backendID: String { base.backendID }
    public var modelID: String { base.modelID }

    /// Tokens processed so far.
    public var tokens: Int { lock.withLock { total } }

    /// The wrapped backend's totals (empty when it keeps none), so a cache above sees them.
    public var usage: LLMUsage { base.reportedUsage ?? LLMUsage() }

    /// - Parameter counter: the backend's tokenizer (a whitespace count for servers, which keep
    ///   theirs to themselves, so the figure is approximate there).
    public init(wrapping base: any LLMClient, counter: any TokenCounter) {
        self.base = base
        self.counter = counter
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        let completions = try await base.generate(prompt, parameters: parameters, n: n)
        add(count(prompt) + completions.reduce(0) { $0 + counter.count($1.text) })
        return completions
    }

    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let scores = try await base.choose(prompt, options: options)
        add(count(prompt) + options.reduce(0) { $0 + counter.count($1) })
        return scores
    }

    private func count(_ prompt: LLMPrompt) -> Int {
        switch prompt {
        case .raw(let text): return counter.count(text)
        case .chat(let messages): return messages.reduce(0) { $0 + counter.count($1.content) }
        }
    }

    private func add(_ count: Int) { lock.withLock { total += count } }
}
