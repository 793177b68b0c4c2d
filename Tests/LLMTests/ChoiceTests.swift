import XCTest
@testable import LLM

final class ChoiceTests: XCTestCase {
    private func lampPrompt() throws -> [Int] {
        let prompts = try XCTUnwrap(Fixtures.reference("smollm2_logits.json")["prompts"] as? [[String: Any]])
        return try XCTUnwrap(prompts.first { $0["name"] as? String == "lamp3_rating" }?["prompt_ids"] as? [Int])
    }

    private func generator() throws -> Generator {
        let model = try Fixtures.model.get()
        return Generator(model: model, tokenizer: try Fixtures.tokenizer.get(), state: model.makeState(maxRows: 32, maxContext: 256))
    }

    /// Single-token answers score log_softmax(prompt logits); a multi-token answer equals step-by-step
    /// teacher forcing.
    func testChoice_LogProbabilities_EqualTeacherForcing() throws {
        let g = try generator()
        let prompt = try lampPrompt()
        let options = ["1", "5", " five stars"]
        let scores = try g.choiceLogProbabilities(promptTokens: prompt, options: options)
        var (cache, logits) = try g.prefill(prompt, extra: 8)
        let first = logSoftmax(logits)
        XCTAssertEqual(scores[0], first[g.tokenizer.encode("1")[0]], accuracy: 1e-9)
        XCTAssertEqual(scores[1], first[g.tokenizer.encode("5")[0]], accuracy: 1e-9)
        let answer = g.tokenizer.encode(" five stars")
        XCTAssertGreaterThan(answer.count, 1)
        var expected = first[answer[0]]
        var caches = [cache]
        for (i, t) in answer.enumerated().dropLast() {
            logits = try g.model.forward(tokens: [t], streams: [0], caches: &caches, state: g.state, logitRows: [0])[0]
            expected += logSoftmax(logits)[answer[i + 1]]
        }
        cache = caches[0]
        XCTAssertEqual(scores[2], expected, accuracy: 1e-3)
    }

    /// The rating prompt's greedy first token (oracle) is the most likely label.
    func testChoice_RatingLabels_ArgmaxIsOracleGreedyToken() throws {
        let g = try generator()
        let prompts = try XCTUnwrap(Fixtures.reference("smollm2_logits.json")["prompts"] as? [[String: Any]])
        let greedy = try XCTUnwrap(prompts.first { $0["name"] as? String == "lamp3_rating" }?["greedy_ids"] as? [Int])
        let labels = ["1", "2", "3", "4", "5"]
        let scores = try g.choiceLogProbabilities(promptTokens: lampPrompt(), options: labels)
        let best = try XCTUnwrap(scores.indices.max { scores[$0] < scores[$1] })
        XCTAssertEqual(g.tokenizer.encode(labels[best]), [greedy[0]])
        let distribution = choiceDistribution(scores)
        XCTAssertEqual(distribution.reduce(0, +), 1, accuracy: 1e-9)
        let draws = Generator.sampleChoices(logProbabilities: scores, n: 50, temperature: 1, seed: 4)
        XCTAssertEqual(draws, Generator.sampleChoices(logProbabilities: scores, n: 50, temperature: 1, seed: 4))
        XCTAssertEqual(Generator.sampleChoices(logProbabilities: scores, n: 3, temperature: 0, seed: 4), [best, best, best])
    }

    func testChoice_EmptyOption_Throws() throws {
        XCTAssertThrowsError(try generator().choiceLogProbabilities(promptTokens: lampPrompt(), options: ["1", ""]))
    }
}
