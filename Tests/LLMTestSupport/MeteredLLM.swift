import Foundation
import LLMInterface

/// Wraps a fake client and keeps usage totals as a runtime does, with made-up but exact
/// figures: a prompt's tokens are its whitespace-separated words (of every message), a
/// completion's its words; each call adds 1 ms of prefill per prompt token, 2 ms of decode per
/// generated token and a quarter of both as attention (nothing sleeps).
///
/// Set `stage` before calls (a test does it from the engine's events) and `usage(in:)` gives the
/// totals of the calls made while that stage was set, counted independently of `usage`.
public final class MeteredLLM: UsageReportingLLMClient, @unchecked Sendable {
    private let base: any LLMClient
    private let lock = NSLock()
    private var totals = LLMUsage(prefillSeconds: 0, decodeSeconds: 0, attentionSeconds: 0)
    private var byStage: [String: LLMUsage] = [:]
    private var currentStage: String?

    public var backendID: String { base.backendID }
    public var modelID: String { base.modelID }

    public init(wrapping base: any LLMClient) { self.base = base }

    /// The stage later calls are counted under.
    public var stage: String? {
        get { lock.withLock { currentStage } }
        set { lock.withLock { currentStage = newValue } }
    }

    public var usage: LLMUsage { lock.withLock { totals } }

    /// The totals of the calls made while `stage` was set to `name`.
    public func usage(in name: String) -> LLMUsage { lock.withLock { byStage[name] ?? LLMUsage() } }

    public static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    public static func words(_ prompt: LLMPrompt) -> Int {
        switch prompt {
        case .raw(let text): return words(text)
        case .chat(let messages): return messages.reduce(0) { $0 + words($1.content) }
        }
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        let completions = try await base.generate(prompt, parameters: parameters, n: n)
        record(generate: true, promptTokens: Self.words(prompt), generated: completions.reduce(0) { $0 + Self.words($1.text) })
        return completions
    }

    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let scores = try await base.choose(prompt, options: options)
        record(generate: false, promptTokens: Self.words(prompt), generated: 0)
        return scores
    }

    private func record(generate: Bool, promptTokens: Int, generated: Int) {
        let prefill = 0.001 * Double(promptTokens), decode = 0.002 * Double(generated)
        func add(_ usage: inout LLMUsage) {
            if generate { usage.generateCalls += 1 } else { usage.chooseCalls += 1 }
            usage.promptTokens += promptTokens
            usage.generatedTokens += generated
            usage.seconds += prefill + decode
            usage.prefillSeconds = (usage.prefillSeconds ?? 0) + prefill
            usage.decodeSeconds = (usage.decodeSeconds ?? 0) + decode
            usage.attentionSeconds = (usage.attentionSeconds ?? 0) + (prefill + decode) / 4
        }
        lock.withLock {
            add(&totals)
            if let currentStage { add(&byStage[currentStage, default: LLMUsage()]) }
        }
    }
}
