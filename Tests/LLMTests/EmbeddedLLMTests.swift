import LLMInterface
import XCTest
@testable import LLM

final class EmbeddedLLMTests: XCTestCase {
    func testGenerateAndChoose_ThroughClientProtocol() async throws {
        let client: any LLMClient = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let prompt = LLMPrompt.chat([.user("What is 2 + 2? Answer with a number.")])
        let completions = try await client.generate(prompt, parameters: .greedy(maxTokens: 6), n: 2)
        XCTAssertEqual(completions.count, 2)
        XCTAssertEqual(completions[0], completions[1])
        XCTAssertFalse(completions[0].tokenIDs?.isEmpty ?? true)
        XCTAssertTrue(completions[0].text.contains("4"), completions[0].text)
        let scores = try await client.choose(prompt, options: ["4", "7"])
        XCTAssertEqual(scores.count, 2)
        XCTAssertGreaterThan(scores[0], scores[1])
    }

    func testUsage_CountsTokensExactlyAndTimesPrefillDecodeAndAttention() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        XCTAssertEqual(llm.usage, LLMUsage(prefillSeconds: 0, decodeSeconds: 0, attentionSeconds: 0))
        let prompts = ["Name a colour.", "Write a short poem about rain.", "What is the capital of France?"]
            .map { LLMPrompt.chat([.user($0)]) }
        let parameters = SamplingParameters(temperature: 0.8, topP: 0.95, maxTokens: 12, seed: 5)
        let clock = ContinuousClock()
        let start = clock.now
        // concurrent calls: every one must be counted once
        let samples = try await withThrowingTaskGroup(of: [Completion].self) { group in
            for prompt in prompts { group.addTask { try await llm.generate(prompt, parameters: parameters, n: 3) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let options = ["red", "light blue"]
        _ = try await llm.choose(prompts[0], options: options)
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        let usage = llm.usage
        XCTAssertEqual(usage.generateCalls, 3)
        XCTAssertEqual(usage.chooseCalls, 1)
        let promptTokens = prompts.reduce(0) { $0 + llm.tokens(of: $1).count }
        let answerTokens = options.reduce(0) { $0 + llm.tokenizer.encode($1).count }
        XCTAssertEqual(usage.promptTokens, promptTokens + llm.tokens(of: prompts[0]).count + answerTokens)
        XCTAssertEqual(usage.generatedTokens, samples.reduce(0) { $0 + ($1.tokenIDs?.count ?? 0) })
        XCTAssertGreaterThan(usage.generatedTokens, 0)
        XCTAssertEqual(usage.cacheHits + usage.cacheMisses, 0)

        let prefill = try XCTUnwrap(usage.prefillSeconds), decode = try XCTUnwrap(usage.decodeSeconds)
        let attention = try XCTUnwrap(usage.attentionSeconds)
        XCTAssertGreaterThan(prefill, 0)
        XCTAssertGreaterThan(decode, 0)
        XCTAssertGreaterThan(attention, 0)
        XCTAssertLessThan(attention, prefill + decode)
        // the forward passes are part of the runtime's busy seconds, which lie within the wall time
        XCTAssertLessThanOrEqual(prefill + decode, usage.seconds)
        XCTAssertLessThan(usage.seconds, wall)
    }

    /// The int8 runtime answers as the exact one does here, under its own backend id, so cached
    /// results of one precision are never served for the other.
    func testInt8Precision_AnswersUnderItsOwnBackendID() async throws {
        let exact = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let int8 = try EmbeddedLLM(modelURL: Fixtures.modelURL, precision: .int8)
        XCTAssertEqual(exact.backendID, "embedded")
        XCTAssertEqual(int8.backendID, "embedded-int8")
        XCTAssertEqual(int8.modelID, exact.modelID)
        let prompt = LLMPrompt.chat([.user("What is 2 + 2? Answer with a number.")])
        let answer = try await int8.generate(prompt, parameters: .greedy(maxTokens: 6), n: 1)
        XCTAssertTrue(answer[0].text.contains("4"), answer[0].text)
        let scores = try await int8.choose(prompt, options: ["4", "7"])
        XCTAssertGreaterThan(scores[0], scores[1])
    }

    func testConcurrentRequests_OfOnePrompt_AreDeterministic() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let prompt = LLMPrompt.chat([.user("Say hello.")])
        async let a = llm.generate(prompt, parameters: .greedy(maxTokens: 4), n: 1)
        async let b = llm.generate(prompt, parameters: .greedy(maxTokens: 4), n: 1)
        let (x, y) = try await (a, b)
        XCTAssertEqual(x, y)
    }

    /// With int8 products a prompt's logits are a function of the prompt alone, bit for bit: the
    /// same when it is computed whole, when it continues from a recent prompt's keys and values
    /// (all of it but the last token, or a shared start), and when its chunks share the batch with
    /// other prompts and decoding streams. A last-bit difference is not harmless here: it moves an
    /// activation across an int8 rounding step, a near-tie between two tokens flips, and a seeded
    /// run's answers change with what else the engine happened to be doing.
    func testLogits_DoNotDependOnPrefixReuseOrWhatElseIsInTheBatch() async throws {
        let article = String(repeating: "The council met on Tuesday to discuss the parking tax in the eastern districts, "
            + "amid a budget shortfall that officials say could close two libraries. ", count: 6)
        let instruction = "Generate a headline for the following article: "
        let prompt = LLMPrompt.chat([.user(instruction + article)])
        let sharingStart = LLMPrompt.chat([.user(instruction + article.prefix(150) + " What else happened?")])
        let neighbours = [
            sharingStart,
            LLMPrompt.chat([.user("Write a long story about a lighthouse keeper.")]),
            LLMPrompt.chat([.user(String(repeating: "A long question about the weather and the tides. ", count: 20))]),
        ]
        let greedy = SamplingParameters.greedy(maxTokens: 6)
        func logits(_ llm: EmbeddedLLM) async throws -> [[Float]] {
            try await llm.samples(prompt, parameters: greedy, n: 1, topLogits: 8)[0].topLogits.map { $0.map(\.logit) }
        }

        let reference = try EmbeddedLLM(modelURL: Fixtures.modelURL, precision: .int8)
        let whole = try await logits(reference)
        let again = try await logits(reference)
        XCTAssertEqual(again, whole, "continuing from its own cached prompt")

        let afterSharedStart = try EmbeddedLLM(modelURL: Fixtures.modelURL, precision: .int8)
        _ = try await afterSharedStart.generate(sharingStart, parameters: greedy, n: 1)
        let continued = try await logits(afterSharedStart)
        XCTAssertEqual(continued, whole, "continuing from a prompt that shares its start")

        let busy = try EmbeddedLLM(modelURL: Fixtures.modelURL, precision: .int8)
        let sampling = SamplingParameters(temperature: 0.7, topP: 0.9, maxTokens: 24, seed: 0)
        let inBatch = try await withThrowingTaskGroup(of: [[Float]]?.self) { group in
            for other in neighbours { group.addTask { _ = try await busy.generate(other, parameters: sampling, n: 3); return nil } }
            group.addTask {
                try await Task.sleep(nanoseconds: 30_000_000)
                let samples = try await busy.samples(prompt, parameters: greedy, n: 1, topLogits: 8)
                return samples[0].topLogits.map { $0.map(\.logit) }
            }
            return try await group.reduce(into: [[Float]]()) { if let l = $1 { $0 = l } }
        }
        XCTAssertEqual(inBatch, whole, "beside other prompts and decoding streams")

        // one token past a block boundary: continued from its own cache, the last token is a
        // chunk of one row, which must go through the same kernel as when the prompt is whole
        var tail = ""
        var past = LLMPrompt.chat([.user(instruction + article)])
        for _ in 0..<(2 * LlamaState.attentionBlockRows) where reference.tokens(of: past).count % LlamaState.attentionBlockRows != 1 {
            tail += " the"  // one token each
            past = LLMPrompt.chat([.user(instruction + article + tail)])
        }
        XCTAssertEqual(reference.tokens(of: past).count % LlamaState.attentionBlockRows, 1)
        let fresh = try EmbeddedLLM(modelURL: Fixtures.modelURL, precision: .int8)
        let pastWhole = try await fresh.samples(past, parameters: greedy, n: 1, topLogits: 8)[0].topLogits
        let pastContinued = try await fresh.samples(past, parameters: greedy, n: 1, topLogits: 8)[0].topLogits
        XCTAssertEqual(pastContinued, pastWhole, "a last chunk of one row")
    }

    func testCancellation_StopsBetweenTokens() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let task = Task {
            try await llm.samples(.chat([.user("Write a long story.")]),
                                  parameters: SamplingParameters(temperature: 1, topP: 0.95, maxTokens: 2000, seed: 1), n: 1)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            let result = try await task.value
            // only acceptable if the sample ended on its own before the cancel arrived
            XCTAssertNotEqual(result.first?.finishReason, .length)
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }
}
