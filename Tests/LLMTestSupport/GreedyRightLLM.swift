import Foundation
import LLMInterface

/// A fake LLM for generation prompts whose greedy answer is right and whose samples are noise:
/// greedy decoding returns the answer registered for the input at the end of the prompt (the
/// text after its last `marker`), sampling returns words that share nothing with any answer.
/// Optionally wraps the greedy answer in chat framing, as small instruction-tuned models do.
public final class GreedyRightLLM: LLMClient, @unchecked Sendable {
    public let backendID = "fake"
    public let modelID = "greedy-right"
    private let answers: [String: String]
    private let marker: String
    private let framing: (String) -> String

    /// - Parameters:
    ///   - answers: input text (after `marker`) → the right answer.
    ///   - marker: what precedes the input text in the prompt (`article:` for LaMP_4).
    ///   - framing: what the greedy answer looks like around the right one.
    public init(answers: [String: String], marker: String = "article:", framing: @escaping @Sendable (String) -> String = { $0 }) {
        self.answers = answers
        self.marker = marker
        self.framing = framing
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        let text = FakeTagLLM.text(prompt)
        let input = text.range(of: marker, options: .backwards).map { String(text[$0.upperBound...]) } ?? text
        let answer = answers[input.trimmingCharacters(in: .whitespaces)] ?? "unknown"
        if parameters.temperature == 0 { return [Completion(text: framing(answer), finishReason: "stop")] }
        let noise = ["zebra", "quartz", "violin", "nebula", "pickle", "lantern", "tundra", "origami", "walrus", "saffron"]
        return (0..<n).map { i in
            Completion(text: (0..<5).map { noise[(i * 3 + $0 * 7 + input.count) % noise.count] }.joined(separator: " ") + " \(i)",
                       finishReason: "stop")
        }
    }

    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        options.map { _ in -1 }
    }
}
