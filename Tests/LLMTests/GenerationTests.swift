import LLMInterface
import XCTest
@testable import LLM

final class GenerationTests: XCTestCase {
    private func oraclePrompt(_ name: String) throws -> (ids: [Int], greedy: [Int], text: String) {
        let prompts = try XCTUnwrap(Fixtures.reference("smollm2_logits.json")["prompts"] as? [[String: Any]])
        let p = try XCTUnwrap(prompts.first { $0["name"] as? String == name })
        return (try XCTUnwrap(p["prompt_ids"] as? [Int]), try XCTUnwrap(p["greedy_ids"] as? [Int]),
                try XCTUnwrap(p["prompt_text"] as? String))
    }

    private func generator(maxRows: Int = 64) throws -> Generator {
        let model = try Fixtures.model.get()
        return Generator(model: model, tokenizer: try Fixtures.tokenizer.get(), state: model.makeState(maxRows: maxRows, maxContext: 512))
    }

    func testChatTemplate_SmolLMDefault_MatchesOracleText() throws {
        let oracle = try oraclePrompt("general_poem")
        XCTAssertEqual(ChatTemplate.format([.user("Write a short poem about the ocean.")], systemPrompt: .smolLM), oracle.text)
        XCTAssertEqual(try Fixtures.tokenizer.get().encode(oracle.text, parseSpecial: true), oracle.ids)
        XCTAssertFalse(ChatTemplate.format([.user("x")], systemPrompt: .none).contains("system"))
    }

    /// Greedy generation reproduces the oracle's continuation (every margin of this prompt > 0.05).
    func testGreedyGeneration_MatchesOracleContinuation_BatchedStreamsAgree() throws {
        let oracle = try oraclePrompt("general_poem")
        let completions = try generator().generate(promptTokens: oracle.ids, parameters: .greedy(maxTokens: oracle.greedy.count), n: 2)
        XCTAssertEqual(completions[0].tokens, oracle.greedy)
        XCTAssertEqual(completions[1].tokens, oracle.greedy)
        XCTAssertEqual(completions[0].finishReason, .length)
    }

    /// A chunked prompt pass (small maxRows) gives the same logits as one pass.
    func testPrefill_Chunked_EqualsSinglePass() throws {
        let oracle = try oraclePrompt("general_poem")
        let one = try generator(maxRows: 64).prefill(oracle.ids, extra: 0).logits
        let chunked = try generator(maxRows: 7).prefill(oracle.ids, extra: 0).logits
        for i in stride(from: 0, to: one.count, by: 97) { XCTAssertEqual(one[i], chunked[i], accuracy: 2e-3) }
    }

    /// Stream j of an N-sample batch is the same sample as a single request for stream j would give.
    func testSampling_BatchOfThree_StreamZeroEqualsSingleStream_AndSeedsReproduce() throws {
        let g = try generator()
        let prompt = try Fixtures.tokenizer.get().encode(ChatTemplate.format([.user("Name a fruit.")]), parseSpecial: true)
        let p = SamplingParameters(temperature: 0.9, topP: 0.95, topK: 40, maxTokens: 8, seed: 123)
        let batch = try g.generate(promptTokens: prompt, parameters: p, n: 3)
        let single = try g.generate(promptTokens: prompt, parameters: p, n: 1)
        XCTAssertEqual(batch[0].tokens, single[0].tokens)
        XCTAssertEqual(try g.generate(promptTokens: prompt, parameters: p, n: 3), batch)
        XCTAssertTrue(batch.allSatisfy { $0.tokens.count <= 8 })
    }

    func testStopString_AndMaxTokens_EndGeneration() throws {
        let g = try generator()
        let oracle = try oraclePrompt("general_poem")
        let full = g.tokenizer.decode(oracle.greedy)
        let stop = String(full.split(separator: " ")[2])
        let c = try g.generate(promptTokens: oracle.ids, parameters: SamplingParameters(temperature: 0, maxTokens: 12, stop: [stop]), n: 1)[0]
        XCTAssertEqual(c.finishReason, .stop)
        XCTAssertFalse(c.text.contains(stop))
        XCTAssertTrue(full.hasPrefix(c.text))
        let short = try g.generate(promptTokens: oracle.ids, parameters: .greedy(maxTokens: 3), n: 1)[0]
        XCTAssertEqual(short.tokens, Array(oracle.greedy.prefix(3)))
    }

    /// Recorded top logits are the oracle's top-10 at each step (ids, and values within 0.02).
    func testTopLogits_RecordedPerStep_MatchOracle() throws {
        let oracle = try oraclePrompt("general_poem")
        let prompts = try XCTUnwrap(Fixtures.reference("smollm2_logits.json")["prompts"] as? [[String: Any]])
        let steps = try XCTUnwrap(prompts.first { $0["name"] as? String == "general_poem" }?["steps"] as? [[String: Any]])
        let c = try generator().generate(promptTokens: oracle.ids, parameters: .greedy(maxTokens: 3), n: 1, topLogits: 10)[0]
        XCTAssertEqual(c.topLogits.count, 3)
        for (i, top) in c.topLogits.enumerated() {
            let expected = try XCTUnwrap(steps[i]["top10"] as? [[String: Any]])
            XCTAssertEqual(top.map(\.id), expected.compactMap { $0["id"] as? Int })
            for (a, b) in zip(top, expected) { XCTAssertEqual(Double(a.logit), try XCTUnwrap(b["logit"] as? Double), accuracy: 0.02) }
            XCTAssertEqual(top[0].id, c.tokens[i])
        }
    }

    func testTokenIterator_StreamsGreedyTokens() throws {
        let oracle = try oraclePrompt("general_poem")
        let iterator = try TokenIterator(generator: generator(), promptTokens: oracle.ids, parameters: .greedy(maxTokens: 5))
        XCTAssertEqual(Array(iterator), Array(oracle.greedy.prefix(5)))
    }

    func testForward_InvalidTokenAndFullContext_Throw() throws {
        let g = try generator()
        XCTAssertThrowsError(try g.prefill([1, 999_999], extra: 0)) {
            XCTAssertEqual($0 as? LLMError, .invalidToken(id: 999_999, vocabularySize: 49152))
        }
        XCTAssertThrowsError(try g.prefill([], extra: 0)) { XCTAssertEqual($0 as? LLMError, .emptyPrompt) }
        var caches = [g.model.makeCache(capacity: 2)]
        let long = Array(repeating: 28, count: 300)
        _ = try g.model.forward(tokens: [1, 2, 3], streams: [0, 0, 0], caches: &caches, state: g.state, logitRows: [])
        XCTAssertEqual(caches[0].count, 3)
        XCTAssertGreaterThanOrEqual(caches[0].capacity, 3)
        // prefill refuses a prompt that cannot fit before it allocates; forward still guards its own calls
        XCTAssertThrowsError(try g.prefill(long + long, extra: 0)) {
            XCTAssertEqual($0 as? ContextLengthExceeded,
                           ContextLengthExceeded(promptTokens: 600, followingTokens: 0, contextLength: 512))
        }
        let tiny = g.model.makeState(maxRows: 4, maxContext: 4)
        var full = [g.model.makeCache(capacity: 4)]
        _ = try g.model.forward(tokens: [1, 2, 3], streams: [0, 0, 0], caches: &full, state: tiny, logitRows: [])
        XCTAssertThrowsError(try g.model.forward(tokens: [4, 5], streams: [0, 0], caches: &full, state: tiny, logitRows: [])) {
            XCTAssertEqual($0 as? LLMError, .contextFull(needed: 5, capacity: 4))
        }
    }
}
