import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import OpenAIClient
import XCTest

/// Collects values from `@Sendable` callbacks.
private final class Collected<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ item: T) { lock.withLock { items.append(item) } }
    var all: [T] { lock.withLock { items } }
}

/// The client against servers that lack features: llama.cpp's (and Ollama's) ignore `n` and
/// `guided_choice`. Before, `generate(n: 2)` failed with "choices (expected 2, got 1)" after four
/// attempts; now the client falls back and remembers.
final class ServerCompatibilityTests: XCTestCase {
    private func withLlamaCpp(_ body: (URL, LlamaCppLikeServer) async throws -> Void) async throws {
        let server = LlamaCppLikeServer()
        let base = try await server.start()
        do {
            try await body(base, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    func testServerIgnoringN_FallsBackToSeparateSeededRequests_AndRemembers() async throws {
        try await withLlamaCpp { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let prompt = LLMPrompt.chat([ChatMessage(role: "user", content: "tell me")])
            let first = try await client.generate(prompt, parameters: SamplingParameters(temperature: 0.8, maxTokens: 40, seed: 10), n: 3)
            XCTAssertEqual(first.map(\.text), (10...12).map { LlamaCppLikeServer.answer(prompt: "tell me", seed: $0, maxTokens: 40) })
            let honours = await client.honoursN
            XCTAssertEqual(honours, false)
            var requests = await server.requests
            XCTAssertEqual(requests.map(\.n), [3, 1, 1])
            XCTAssertEqual(requests.first?.seed, 10)
            XCTAssertEqual(Set(requests.dropFirst().compactMap(\.seed)), [11, 12])

            // remembered: the next call sends one request per sample straight away
            let second = try await client.generate(prompt, parameters: SamplingParameters(temperature: 0.8, maxTokens: 40, seed: 20), n: 2)
            XCTAssertEqual(second.map(\.text), (20...21).map { LlamaCppLikeServer.answer(prompt: "tell me", seed: $0, maxTokens: 40) })
            requests = await server.requests
            XCTAssertEqual(requests.dropFirst(3).map(\.n), [1, 1])
            XCTAssertEqual(Set(requests.dropFirst(3).compactMap(\.seed)), [20, 21])
            XCTAssertEqual(requests.count, 5, "no request retried")
        }
    }

    func testUsage_CountsCallsByKindAndSumsEveryRequestsUsage() async throws {
        try await withLlamaCpp { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            XCTAssertEqual(client.usage, LLMUsage())
            let prompt = LLMPrompt.chat([ChatMessage(role: "user", content: "tell me")])
            let samples = try await client.generate(prompt, parameters: SamplingParameters(temperature: 0.8, maxTokens: 40, seed: 10), n: 3)
            // one generate call, three requests (the server ignores n); the fake's usage counts characters
            var usage = client.usage
            XCTAssertEqual(usage.generateCalls, 1)
            XCTAssertEqual(usage.promptTokens, 3 * "tell me".count)
            XCTAssertEqual(usage.generatedTokens, samples.reduce(0) { $0 + $1.text.count })
            XCTAssertGreaterThan(usage.seconds, 0)
            XCTAssertNil(usage.prefillSeconds, "a server's prefill time is not the client's to know")

            // two choices: the first learns the server ignores guided_choice, the second asks for
            // free text through generate; both are choose calls, and each request's usage counts
            let choicePrompt = LLMPrompt.chat([ChatMessage(role: "user", content: "the label is sports")])
            _ = try await client.choose(choicePrompt, options: ["politics", "sports"])
            _ = try await client.choose(choicePrompt, options: ["politics", "sports"])
            let requests = await server.requests
            XCTAssertEqual(requests.count, 5)
            XCTAssertEqual(requests.last?.sentGuidedChoice, false)
            usage = client.usage
            XCTAssertEqual(usage.generateCalls, 1)
            XCTAssertEqual(usage.chooseCalls, 2)
            XCTAssertEqual(usage.promptTokens, 3 * "tell me".count + 2 * "the label is sports".count)
        }
    }

    func testServerIgnoringGuidedChoice_MapsFreeTextToTheOption_AndStopsSendingIt() async throws {
        try await withLlamaCpp { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let options = ["politics", "sports", "science"]
            let prompt = LLMPrompt.chat([ChatMessage(role: "user", content: "the label is sports")])
            let scores = try await client.choose(prompt, options: options)
            XCTAssertEqual(scores.firstIndex(of: scores.max()!), 1)
            let supported = await client.supportsGuidedChoice
            XCTAssertEqual(supported, false)

            let again = try await client.choose(.chat([ChatMessage(role: "user", content: "about science")]), options: options)
            XCTAssertEqual(again.firstIndex(of: again.max()!), 2)
            let requests = await server.requests
            XCTAssertEqual(requests.map(\.sentGuidedChoice), [true, false], "guided_choice is not sent again")
        }
    }

    func testServerHonouringN_OneRequest() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let completions = try await client.generate(.raw("x"), parameters: .greedy(), n: 4)
            XCTAssertEqual(completions.count, 4)
            let honours = await client.honoursN
            XCTAssertEqual(honours, true)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 1)
        }
    }

    // MARK: - Errors that cannot succeed are not retried

    func testBaseURLWithoutHost_FailsAtOnce() async throws {
        let notices = Collected<RetryNotice>()
        var configuration = testConfiguration(URL(string: "http:///v1")!)
        configuration.onRetry = { notices.append($0) }
        let client = OpenAICompatibleClient(configuration: configuration)
        let started = Date()
        let error = await expectError { try await client.generate(.raw("x"), parameters: .greedy(), n: 1) }
        XCTAssertEqual(error as? LLMClientError, .invalidArgument("base URL http:///v1 has no host"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertTrue(notices.all.isEmpty)
    }

    func testNotFound_IsNotRetried() async throws {
        try await withLlamaCpp { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base.deletingLastPathComponent().appendingPathComponent("nope")))
            let error = await expectError { try await client.generate(.raw("x"), parameters: .greedy(), n: 1) }
            guard case let LLMClientError.httpStatus(code, _, _, attempts)? = error as? LLMClientError else {
                return XCTFail("\(String(describing: error))")
            }
            XCTAssertEqual(code, 404)
            XCTAssertEqual(attempts, 1)
            let requests = await server.requests
            XCTAssertTrue(requests.isEmpty)
        }
    }

    // MARK: - Retries are announced

    func testRetries_AreAnnouncedWithTheAttemptCount() async throws {
        try await withServer(faults: .scripted([.serverError, .tooManyRequests(retryAfter: "0.2")])) { base, _ in
            let notices = Collected<RetryNotice>()
            var configuration = testConfiguration(base, attempts: 3)
            configuration.onRetry = { notices.append($0) }
            let client = OpenAICompatibleClient(configuration: configuration)
            _ = try await client.generate(.raw("x"), parameters: .greedy(), n: 1)
            let seen = notices.all
            XCTAssertEqual(seen.map(\.failedAttempt), [1, 2])
            XCTAssertEqual(seen.map(\.maxAttempts), [3, 3])
            XCTAssertTrue(seen[0].reason.contains("HTTP 500"), seen[0].reason)
            XCTAssertTrue(seen[1].reason.contains("HTTP 429"), seen[1].reason)
            XCTAssertGreaterThanOrEqual(seen[1].delay, 0.2, "Retry-After is the wait")
            XCTAssertTrue(seen[0].endpoint.hasSuffix("/v1/completions"))
            XCTAssertTrue(seen[0].description.contains("attempt 1 of 3"), seen[0].description)
        }
    }

    func testTimeouts_AreAnnouncedWithTheConfiguredTimeout() async throws {
        try await withServer(faults: .scripted([.delay(2)])) { base, _ in
            let notices = Collected<RetryNotice>()
            var configuration = testConfiguration(base, timeout: 0.3)
            configuration.onRetry = { notices.append($0) }
            let client = OpenAICompatibleClient(configuration: configuration)
            _ = try await client.generate(.raw("x"), parameters: .greedy(), n: 1)
            XCTAssertEqual(notices.all.map(\.reason), ["timed out after 0.3 s"])
        }
    }
}
