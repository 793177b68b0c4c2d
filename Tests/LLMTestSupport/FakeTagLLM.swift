import Foundation
import LLMInterface

/// A deterministic fake LLM for LaMP_2 prompts: `choose` favours the first tag quoted in the
/// prompt's history items (`… is "tag"`), else "comedy"; `generate` echoes the first quoted
/// title, else "a headline". Counts calls.
public final class FakeTagLLM: LLMClient, @unchecked Sendable {
    public let backendID = "fake"
    public let modelID = "tag-copier"
    private let lock = NSLock()
    private var counts = (generate: 0, choose: 0)

    public init() {}

    public var calls: (generate: Int, choose: Int) { lock.withLock { counts } }

    public static func text(_ prompt: LLMPrompt) -> String {
        switch prompt {
        case .raw(let t): return t
        case .chat(let messages): return messages.map(\.content).joined(separator: "\n")
        }
    }

    /// The first `is "…"` value of the prompt.
    public static func copiedTag(_ text: String) -> String? {
        guard let r = text.range(of: " is \"") else { return nil }
        let rest = text[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        lock.withLock { counts.generate += 1 }
        let text = Self.text(prompt)
        let base = text.split(separator: "\"").dropFirst().first.map(String.init) ?? "a headline"
        return (0..<n).map { i in Completion(text: parameters.temperature == 0 || i == 0 ? base : "\(base) \(i)", finishReason: "stop") }
    }

    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        lock.withLock { counts.choose += 1 }
        let favourite = Self.copiedTag(Self.text(prompt)) ?? "comedy"
        return options.map { $0 == favourite ? -0.2 : -3 }
    }
}
