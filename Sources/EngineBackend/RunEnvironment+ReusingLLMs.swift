import Foundation
import LaMP
import LLMInterface

extension RunEnvironment {
    /// This environment making each LLM once and handing the same one out again, so a backend
    /// loads the embedded model once for its runs, inspections and counterfactuals together. A
    /// failed load is not kept: the next job tries again.
    func reusingLLMs() -> RunEnvironment {
        let made = MadeLLMs()
        var environment = self
        let make = makeLLM
        environment.makeLLM = { choice in try made.llm(for: choice) { try make(choice) } }
        return environment
    }
}

/// The LLMs made so far, by choice.
private final class MadeLLMs: @unchecked Sendable {
    typealias LLM = (client: any LLMClient, tokenCounter: any TokenCounter)
    private let lock = NSLock()
    private var made: [(choice: LLMChoice, llm: LLM)] = []

    /// The LLM made for `choice` before, else `make`'s (made under the lock: two jobs starting at
    /// once still load one model).
    func llm(for choice: LLMChoice, make: () throws -> LLM) throws -> LLM {
        try lock.withLock {
            if let found = made.first(where: { $0.choice == choice }) { return found.llm }
            let llm = try make()
            made.append((choice, llm))
            return llm
        }
    }
}
