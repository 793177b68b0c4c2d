import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import OpenAIClient
import XCTest

/// A fast-retrying client configuration for tests against `base`.
func testConfiguration(_ base: URL, timeout: Double = 2, attempts: Int = 3, concurrency: Int = 4,
                       keyVariable: String? = nil) -> OpenAIClientConfiguration {
    OpenAIClientConfiguration(
        baseURL: base, model: "echo-1", apiKeyVariable: keyVariable, requestTimeout: timeout,
        maxConcurrentRequests: concurrency,
        retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 3))
}

/// Starts a recording server over `model`, runs `body`, and always stops it.
func withServer(model: EchoModel = EchoModel(), faults: FaultPlan = .none, acceptsGuidedChoice: Bool = true,
                limits: ServerLimits = ServerLimits(),
                _ body: (URL, OpenAICompatibleServer) async throws -> Void) async throws {
    let server = OpenAICompatibleServer(model: model, faults: faults, recordsRequests: true,
                                        acceptsGuidedChoice: acceptsGuidedChoice, limits: limits)
    try await server.start()
    do {
        let url = await server.baseURL
        try await body(try XCTUnwrap(url), server)
    } catch {
        await server.stop(gracePeriod: 0.05)
        throw error
    }
    await server.stop(gracePeriod: 0.05)
}

/// Runs `body` and returns its error, failing the test if it succeeds.
func expectError<T>(_ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> (any Error)? {
    do {
        _ = try await body()
        XCTFail("expected an error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
