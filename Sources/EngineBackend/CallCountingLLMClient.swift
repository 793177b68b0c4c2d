import Foundation
import LLMInterface

/// Counts the calls that reach the LLM. Put under the generation cache, it counts the misses of
/// one job, whatever other jobs do with the same cache meanwhile.
final class CallCountingLLMClient: LLMClient, @unchecked Sendable {
    private let base: any LLMClient
    private let lock = NSLock()
    private var count = 0

    var backendID: String { base.backendID }
    var modelID: String { base.modelID }
    var calls: Int { lock.withLock { count } }

    init(wrapping base: any LLMClient) { self.base = base }

    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        lock.withLock { count += 1 }
        return try await base.generate(prompt, parameters: parameters, n: n)
    }

    func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        lock.withLock { count += 1 }
        return try await base.choose(prompt, options: options)
    }
}
