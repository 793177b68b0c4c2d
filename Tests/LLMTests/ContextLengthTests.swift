import Foundation
import LLMInterface
import TestSupport
import XCTest
@testable import LLM

/// Prompts that do not fit the context are refused before anything is allocated for them.
final class ContextLengthTests: XCTestCase {
    /// A real model with a 64-position context, so prompts at the limit stay cheap to run.
    private func smallContextGenerator() throws -> Generator {
        let model = try Fixtures.model.get()
        return Generator(model: model, tokenizer: try Fixtures.tokenizer.get(), state: model.makeState(maxRows: 64, maxContext: 64))
    }

    /// Exactly `count` tokens of real text.
    private func promptTokens(_ count: Int) throws -> [Int] {
        let tokens = try Fixtures.tokenizer.get().encode(String(repeating: " hello", count: count))
        XCTAssertEqual(tokens.count, count, "one token per ' hello'")
        return tokens
    }

    func testGenerate_PromptPlusMaxTokensAtLimit_Runs_OneOver_IsRefused() throws {
        let g = try smallContextGenerator()
        let parameters = SamplingParameters.greedy(maxTokens: 2)
        let atLimit = try g.generate(promptTokens: promptTokens(62), parameters: parameters, n: 1)
        XCTAssertEqual(atLimit.count, 1)
        XCTAssertThrowsError(try g.generate(promptTokens: promptTokens(63), parameters: parameters, n: 1)) {
            XCTAssertEqual($0 as? ContextLengthExceeded,
                           ContextLengthExceeded(promptTokens: 63, followingTokens: 2, contextLength: 64))
        }
        XCTAssertThrowsError(try TokenIterator(generator: g, promptTokens: promptTokens(63), parameters: parameters)) {
            XCTAssertTrue($0 is ContextLengthExceeded, "\($0)")
        }
    }

    func testChoose_PromptPlusLongestAnswerAtLimit_Runs_OneOver_IsRefused() throws {
        let g = try smallContextGenerator()
        let options = ["1", " five stars"]
        let longest = try options.map { try Fixtures.tokenizer.get().encode($0).count }.max() ?? 0
        XCTAssertGreaterThan(longest, 1)
        // the longest answer's last token is scored without being fed back
        let fits = 64 - (longest - 1)
        XCTAssertEqual(try g.choiceLogProbabilities(promptTokens: promptTokens(fits), options: options).count, 2)
        XCTAssertThrowsError(try g.choiceLogProbabilities(promptTokens: promptTokens(fits + 1), options: options)) {
            XCTAssertEqual($0 as? ContextLengthExceeded,
                           ContextLengthExceeded(promptTokens: fits + 1, followingTokens: longest - 1, contextLength: 64))
        }
    }

    func testEmbeddedLLM_OverlongPrompt_IsRefusedNamingCountsAndLimit() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let prompt = LLMPrompt.chat([.user(String(repeating: " hello", count: llm.contextLength))])
        let promptTokens = llm.tokens(of: prompt).count
        do {
            _ = try await llm.generate(prompt, parameters: .greedy(maxTokens: 16), n: 1)
            XCTFail("an over-long prompt was accepted")
        } catch let error as ContextLengthExceeded {
            XCTAssertEqual(error, ContextLengthExceeded(promptTokens: promptTokens, followingTokens: 16,
                                                        contextLength: llm.contextLength))
            XCTAssertTrue(error.description.contains("\(promptTokens) tokens"), error.description)
            XCTAssertTrue(error.description.contains("\(llm.contextLength) tokens"), error.description)
        }
        do {
            _ = try await llm.choose(prompt, options: ["yes", "no"])
            XCTFail("an over-long prompt was scored")
        } catch let error as ContextLengthExceeded {
            XCTAssertEqual(error.promptTokens, promptTokens)
        }
    }

    /// Before the check, a 10 MB prompt asked for a KV cache of tens of gigabytes; now tokenizing it
    /// is the only work, linear in time and a few hundred megabytes at most. One 10 MB word is the
    /// tokenizer's worst case for memory (its merge queue spans the whole word).
    func testEmbeddedLLM_TenMegabyteWord_IsRefusedQuicklyInBoundedMemory() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let text = String(repeating: "a", count: 10 << 20)
        let memory = ResidentMemoryWatch()
        let started = Date()
        do {
            _ = try await llm.generate(.chat([.user(text)]), parameters: .greedy(maxTokens: 8), n: 1)
            XCTFail("a 10 MB prompt was accepted")
        } catch let error as ContextLengthExceeded {
            XCTAssertGreaterThan(error.promptTokens, llm.contextLength)
        }
        let seconds = Date().timeIntervalSince(started)
        let growth = memory.stop()
        print(String(format: "10 MB one-word prompt refused in %.2f s; peak resident memory grew by %d MB", seconds, growth))
        XCTAssertLessThan(seconds, 30)
        XCTAssertLessThan(growth, 500)
    }
}
