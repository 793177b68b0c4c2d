import Foundation
import LLMInterface

/// A deterministic fake `LLMClient` for tests.
///
/// `generate` returns, for sample `i`, `"echo#i seed=S t=T p=P k=K: "` followed by the prompt's
/// text uppercased (chat messages as `role>content` joined by `|`), cut before the first stop
/// string (`stop`) or at `maxTokens` characters (`length`). `choose` scores each option 2 if the
/// prompt's text contains it (case-insensitive) else 0, minus 0.1 per position, and returns the
/// log-softmax. Calls are counted, and the peak number of calls in flight is tracked.
///
/// Streaming reports each sample's uncut text (up to `maxTokens` characters) in pieces of 4
/// characters, `pieceLatency` seconds apart; a token is one UTF-8 byte.
public final class EchoModel: StreamingLLMClient, TokenCountingLLMClient, @unchecked Sendable {
    public let backendID: String
    public let modelID: String
    /// Seconds each call sleeps (to observe concurrency).
    public let latency: Double
    /// When set, every call throws this message.
    public let failure: String?
    /// Seconds between streamed pieces.
    public let pieceLatency: Double
    private let lock = NSLock()
    private var generateCalls = 0
    private var chooseCalls = 0
    private var inFlight = 0
    private var peakInFlight = 0

    public init(backendID: String = "fake", modelID: String = "echo-1", latency: Double = 0, failure: String? = nil,
                pieceLatency: Double = 0) {
        self.backendID = backendID
        self.modelID = modelID
        self.latency = latency
        self.failure = failure
        self.pieceLatency = pieceLatency
    }

    /// Calls so far: (generate, choose).
    public var calls: (generate: Int, choose: Int) {
        lock.lock(); defer { lock.unlock() }
        return (generateCalls, chooseCalls)
    }

    /// The most calls that ran at the same time.
    public var peakConcurrency: Int {
        lock.lock(); defer { lock.unlock() }
        return peakInFlight
    }

    public static func text(of prompt: LLMPrompt) -> String {
        switch prompt {
        case .raw(let text): return text
        case .chat(let messages): return messages.map { "\($0.role)>\($0.content)" }.joined(separator: "|")
        }
    }

    /// Sample `index`'s text before stop strings and `maxTokens` cut it.
    public static func uncut(_ prompt: LLMPrompt, _ p: SamplingParameters, index: Int) -> String {
        "echo#\(index) seed=\(p.seed) t=\(p.temperature) p=\(p.topP) k=\(p.topK): " + text(of: prompt).uppercased()
    }

    /// What `generate` returns for sample `index`, without the call.
    public static func expected(_ prompt: LLMPrompt, _ p: SamplingParameters, index: Int) -> Completion {
        var text = uncut(prompt, p, index: index)
        var reason = "stop"
        if let cut = p.stop.compactMap({ text.range(of: $0)?.lowerBound }).min() {
            text = String(text[..<cut])
        } else if text.count > p.maxTokens {
            text = String(text.prefix(p.maxTokens))
            reason = "length"
        }
        return Completion(text: text, tokenIDs: nil, finishReason: reason)
    }

    /// What `choose` returns, without the call.
    public static func expectedScores(_ prompt: LLMPrompt, options: [String]) -> [Double] {
        let haystack = text(of: prompt).lowercased()
        let raw = options.enumerated().map { i, option in
            (haystack.contains(option.lowercased()) ? 2.0 : 0.0) - 0.1 * Double(i)
        }
        let top = raw.max() ?? 0
        let logSum = log(raw.map { exp($0 - top) }.reduce(0, +)) + top
        return raw.map { $0 - logSum }
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        try await enter(generate: true)
        defer { leave() }
        return (0..<n).map { Self.expected(prompt, parameters, index: $0) }
    }

    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int,
                         onText: @escaping @Sendable (Int, String) -> Void) async throws -> [Completion] {
        try await enter(generate: true)
        defer { leave() }
        for index in 0..<n {
            var rest = Substring(Self.uncut(prompt, parameters, index: index).prefix(parameters.maxTokens))
            while !rest.isEmpty {
                if pieceLatency > 0 { try await Task.sleep(nanoseconds: UInt64(pieceLatency * 1e9)) }
                onText(index, String(rest.prefix(4)))
                rest = rest.dropFirst(4)
            }
        }
        return (0..<n).map { Self.expected(prompt, parameters, index: $0) }
    }

    public func promptTokenCount(_ prompt: LLMPrompt) -> Int {
        Self.text(of: prompt).utf8.count
    }

    public func tokenCount(of text: String) -> Int {
        text.utf8.count
    }

    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        try await enter(generate: false)
        defer { leave() }
        return Self.expectedScores(prompt, options: options)
    }

    private func enter(generate: Bool) async throws {
        lock.withLock {
            if generate { generateCalls += 1 } else { chooseCalls += 1 }
            inFlight += 1
            peakInFlight = max(peakInFlight, inFlight)
        }
        if latency > 0 {
            do { try await Task.sleep(nanoseconds: UInt64(latency * 1e9)) } catch { leave(); throw error }
        }
        if let failure { leave(); throw FakeModelError(message: failure) }
    }

    private func leave() {
        lock.withLock { inFlight -= 1 }
    }
}

/// The error `EchoModel` throws when told to fail.
public struct FakeModelError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
