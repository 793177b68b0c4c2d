import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import OpenAIClient
import XCTest

final class ClientRoundTripTests: XCTestCase {
    func testChat_NSamplesCarryEveryParameter() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let prompt = LLMPrompt.chat([ChatMessage(role: "system", content: "be brief"),
                                         ChatMessage(role: "user", content: "Hi there")])
            let params = SamplingParameters(temperature: 0.7, topP: 0.9, topK: 40, maxTokens: 300, seed: 42)
            let completions = try await client.generate(prompt, parameters: params, n: 3)
            XCTAssertEqual(completions.map(\.text), (0..<3).map { EchoModel.expected(prompt, params, index: $0).text })
            let paths = await server.recordedRequests.map(\.path)
            XCTAssertEqual(paths, ["/v1/chat/completions"])
        }
    }

    func testRaw_UsesCompletionsEndpointAndStops() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let params = SamplingParameters(temperature: 0, maxTokens: 100, stop: ["WORLD"], seed: 1)
            let completions = try await client.generate(.raw("hello world again"), parameters: params, n: 1)
            XCTAssertEqual(completions.count, 1)
            XCTAssertTrue(completions[0].text.hasSuffix("HELLO "), completions[0].text)
            XCTAssertEqual(completions[0].finishReason, "stop")
            let paths = await server.recordedRequests.map(\.path)
            XCTAssertEqual(paths, ["/v1/completions"])
        }
    }

    func testMaxTokens_ReportsLength() async throws {
        try await withServer { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let completions = try await client.generate(.raw("abc"), parameters: .greedy(maxTokens: 5), n: 2)
            XCTAssertEqual(completions.map(\.text), ["echo#", "echo#"])
            XCTAssertEqual(completions.map(\.finishReason), ["length", "length"])
        }
    }

    // MARK: - Constrained choice

    func testChoose_GuidedChoice_ReturnsTheServersLogprobs() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let prompt = LLMPrompt.chat([ChatMessage(role: "user", content: "this is about science")])
            let options = ["politics", "science", "sports"]
            let scores = try await client.choose(prompt, options: options)
            let expected = EchoModel.expectedScores(prompt, options: options)
            for (got, want) in zip(scores, expected) { XCTAssertEqual(got, want, accuracy: 1e-9) }
            let supported = await client.supportsGuidedChoice
            XCTAssertEqual(supported, true)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 1)
        }
    }

    func testChoose_GuidedChoiceOnRawPrompt_ReadsLegacyLogprobs() async throws {
        try await withServer { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let prompt = LLMPrompt.raw("Answer [2] or [1]? [2]")
            let options = ["[1]", "[2]", "[3]"]
            let scores = try await client.choose(prompt, options: options)
            let expected = EchoModel.expectedScores(prompt, options: options)
            for (got, want) in zip(scores, expected) { XCTAssertEqual(got, want, accuracy: 1e-9) }
        }
    }

    func testChoose_WithoutGuidedChoice_MapsFreeTextAndRemembers() async throws {
        try await withServer(acceptsGuidedChoice: false) { base, server in
            var configuration = testConfiguration(base)
            configuration.freeTextChoiceMaxTokens = 100  // the echo's prefix alone is ~32 characters
            let client = OpenAICompatibleClient(configuration: configuration)
            let options = ["alpha", "beta", "gamma"]
            // The echo contains "ANSWER: BETA", so containment picks "beta".
            let scores = try await client.choose(.raw("answer: beta"), options: options)
            XCTAssertEqual(scores, OptionMatching.oneHotLogProbabilities(picked: 1, count: 3))
            let supported = await client.supportsGuidedChoice
            XCTAssertEqual(supported, false)
            let afterFirst = await server.recordedRequests.count
            XCTAssertEqual(afterFirst, 2)  // the refused probe, then free text
            _ = try await client.choose(.raw("gamma"), options: options)
            let afterSecond = await server.recordedRequests.count
            XCTAssertEqual(afterSecond, 3)  // no second probe
        }
    }

    // MARK: - Concurrency

    func testConcurrency_IsBoundedByTheClient() async throws {
        let model = EchoModel(latency: 0.15)
        // the server would serve one at a time; let it run all six so only the client bounds them
        try await withServer(model: model, limits: ServerLimits(concurrentModelCalls: 6)) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, concurrency: 2))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<6 {
                    group.addTask { try await client.generate(.raw("p\(i)"), parameters: .greedy(), n: 1).count }
                }
                var total = 0
                for try await count in group { total += count }
                XCTAssertEqual(total, 6)
            }
            XCTAssertEqual(model.peakConcurrency, 2)
        }
    }
}
