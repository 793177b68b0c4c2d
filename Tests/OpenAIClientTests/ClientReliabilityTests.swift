import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import OpenAIClient
import XCTest

final class ClientReliabilityTests: XCTestCase {
    private let prompt = LLMPrompt.raw("ping")

    func testRetry_429_HonoursRetryAfter() async throws {
        try await withServer(faults: .scripted([.tooManyRequests(retryAfter: "1")])) { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let start = Date()
            let completions = try await client.generate(prompt, parameters: .greedy(), n: 1)
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertEqual(completions.count, 1)
            XCTAssertGreaterThanOrEqual(elapsed, 0.95)
            XCTAssertLessThan(elapsed, 2.5)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 2)
        }
    }

    func testRetry_429WithHTTPDate_WaitsUntilThatTime() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        // Whole seconds only, so the real wait lies between 1 and 2 seconds.
        let until = Date().addingTimeInterval(2)
        let header = formatter.string(from: until)
        try await withServer(faults: .scripted([.tooManyRequests(retryAfter: header)])) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let start = Date()
            _ = try await client.generate(prompt, parameters: .greedy(), n: 1)
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertGreaterThanOrEqual(elapsed, 0.9, header)
            XCTAssertLessThan(elapsed, 2.6, header)
        }
    }

    func testRetry_TwoRateLimitsThenOK_HonoursEachRetryAfter() async throws {
        let script: [Fault] = [.tooManyRequests(retryAfter: "0.3"), .tooManyRequests(retryAfter: "0.3")]
        try await withServer(faults: .scripted(script)) { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let start = Date()
            _ = try await client.generate(prompt, parameters: .greedy(), n: 1)
            XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.58)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 3)
        }
    }

    func testRetry_500ThenSuccess() async throws {
        try await withServer(faults: .scripted([.serverError])) { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let completions = try await client.generate(prompt, parameters: .greedy(), n: 2)
            XCTAssertEqual(completions.count, 2)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 2)
        }
    }

    func testRetry_500Always_ThrowsStatusWithAttempts() async throws {
        try await withServer(faults: FaultPlan(serverErrorRate: 1)) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, attempts: 3))
            let error = await expectError { try await client.generate(self.prompt, parameters: .greedy(), n: 1) }
            guard case let LLMClientError.httpStatus(code, message, _, attempts)? = error as? LLMClientError else {
                return XCTFail("\(String(describing: error))")
            }
            XCTAssertEqual(code, 500)
            XCTAssertEqual(attempts, 3)
            XCTAssertTrue(message.contains("injected fault"))
        }
    }

    func testTruncatedJSON_RetriedThenSucceeds() async throws {
        try await withServer(faults: .scripted([.truncatedJSON, .invalidJSON])) { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let completions = try await client.generate(prompt, parameters: .greedy(), n: 1)
            XCTAssertEqual(completions.count, 1)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 3)
        }
    }

    func testInvalidJSON_EveryAttempt_ThrowsMalformed() async throws {
        try await withServer(faults: FaultPlan(invalidJSONRate: 1)) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, attempts: 2))
            let error = await expectError { try await client.generate(self.prompt, parameters: .greedy(), n: 1) }
            guard case let LLMClientError.malformedResponse(endpoint, missing, attempts)? = error as? LLMClientError else {
                return XCTFail("\(String(describing: error))")
            }
            XCTAssertEqual(attempts, 2)
            XCTAssertTrue(endpoint.hasSuffix("/v1/completions"), endpoint)
            XCTAssertTrue(missing.contains("valid JSON"), missing)
        }
    }

    func testClientError_4xxIsNotRetried_AndMessageSurfaces() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let bad = SamplingParameters(temperature: 5)
            let error = await expectError { try await client.generate(self.prompt, parameters: bad, n: 1) }
            guard case let LLMClientError.httpStatus(code, message, _, attempts)? = error as? LLMClientError else {
                return XCTFail("\(String(describing: error))")
            }
            XCTAssertEqual(code, 400)
            XCTAssertEqual(attempts, 1)
            XCTAssertTrue(message.contains("temperature"), message)
            XCTAssertTrue(String(describing: error!).contains("temperature"))
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 1)
        }
    }

    // MARK: - Timeouts and cancellation

    func testTimeout_SlowAttemptIsAbandonedThenRetried() async throws {
        try await withServer(faults: .scripted([.delay(2)])) { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, timeout: 0.3))
            let start = Date()
            _ = try await client.generate(prompt, parameters: .greedy(), n: 1)
            XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
            let count = await server.recordedRequests.count
            XCTAssertEqual(count, 2)
        }
    }

    func testTimeout_EveryAttempt_ThrowsTimedOutAfterN() async throws {
        try await withServer(faults: .scripted([.delay(2), .delay(2)])) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, timeout: 0.25, attempts: 2))
            let start = Date()
            let error = await expectError { try await client.generate(self.prompt, parameters: .greedy(), n: 1) }
            XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
            XCTAssertEqual(error as? LLMClientError,
                           .timedOut(endpoint: "POST " + base.appendingPathComponent("completions").path, attempts: 2, timeout: 0.25))
        }
    }

    func testCancellation_WhileWaitingForServer_StopsPromptly() async throws {
        try await withServer(faults: .scripted([.delay(3)])) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, timeout: 10))
            let prompt = self.prompt
            let task = Task { try await client.generate(prompt, parameters: .greedy(), n: 1) }
            try await Task.sleep(nanoseconds: 200_000_000)
            let start = Date()
            task.cancel()
            let result = await task.result
            XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
            XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        }
    }

    func testCancellation_DuringRetryAfter_StopsPromptly() async throws {
        try await withServer(faults: .scripted([.tooManyRequests(retryAfter: "3")])) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            let prompt = self.prompt
            let task = Task { try await client.generate(prompt, parameters: .greedy(), n: 1) }
            try await Task.sleep(nanoseconds: 300_000_000)
            let start = Date()
            task.cancel()
            let result = await task.result
            XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
            XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        }
    }

    func testConnectionRefused_ThrowsConnectionFailed() async throws {
        let server = OpenAICompatibleServer(model: EchoModel())
        try await server.start()
        let url = await server.baseURL
        let base = try XCTUnwrap(url)
        await server.stop(gracePeriod: 0.05)
        let client = OpenAICompatibleClient(configuration: testConfiguration(base, attempts: 2))
        let error = await expectError { try await client.generate(self.prompt, parameters: .greedy(), n: 1) }
        guard case let LLMClientError.connectionFailed(_, _, attempts)? = error as? LLMClientError else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssertEqual(attempts, 2)
    }
}
