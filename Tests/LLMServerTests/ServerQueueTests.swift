import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import XCTest

/// A model that records the order its calls start in, each taking `latency` seconds.
private final class OrderRecordingModel: LLMClient, @unchecked Sendable {
    let backendID = "fake"
    let modelID = "order"
    let latency: Double
    private let lock = NSLock()
    private var prompts: [String] = []

    init(latency: Double) { self.latency = latency }

    var order: [String] { lock.withLock { prompts } }

    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        if case .raw(let text) = prompt { lock.withLock { prompts.append(text) } }
        try await Task.sleep(nanoseconds: UInt64(latency * 1e9))
        return Array(repeating: Completion(text: "done", finishReason: "stop"), count: n)
    }

    func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        options.map { _ in -1 }
    }
}

final class ServerQueueTests: XCTestCase {
    /// Before: FlyingFox's 30 s handler timeout counted the wait for the model, so 3 of 7 queued
    /// requests got an empty 500. Now only the model's own work is timed: eight requests that each
    /// take 0.3 s queue behind one another, the last for 2.1 s, more than twice the 1 s per-call
    /// limit, and every one succeeds.
    func testQueuedRequests_AreNeverFailedByATimeout() async throws {
        let model = EchoModel(latency: 0.3)
        let limits = ServerLimits(modelCallTimeout: 1)
        try await withServer(model: model, limits: limits) { base, _ in
            let url = base.appendingPathComponent("completions")
            let started = Date()
            let replies = try await withThrowingTaskGroup(of: RawReply.self) { group in
                for i in 0..<8 {
                    group.addTask { try await send("POST", url, json: ["prompt": "request \(i)", "n": 2], timeout: 20) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertEqual(replies.map(\.status), Array(repeating: 200, count: 8))
            for reply in replies {
                XCTAssertEqual((try reply.json()["choices"] as? [[String: Any]])?.count, 2)
            }
            XCTAssertGreaterThan(elapsed, 2.2, "one model call at a time")
        }
        XCTAssertEqual(model.peakConcurrency, 1)
    }

    func testModelCallOverTheLimit_Is503WithAJSONBody() async throws {
        try await withServer(model: EchoModel(latency: 3), limits: ServerLimits(modelCallTimeout: 0.3)) { base, _ in
            let started = Date()
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "slow"])
            try assertOpenAIError(reply, status: 503, mentions: ["0.3 s"])
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        }
    }

    func testFullQueue_Answers429WithRetryAfter_AndTheRestSucceed() async throws {
        let limits = ServerLimits(maxQueuedRequests: 2)
        try await withServer(model: EchoModel(latency: 1), limits: limits) { base, _ in
            let url = base.appendingPathComponent("completions")
            let replies = try await withThrowingTaskGroup(of: RawReply.self) { group in
                for i in 0..<6 {
                    group.addTask { try await send("POST", url, json: ["prompt": "request \(i)"], timeout: 20) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let served = replies.filter { $0.status == 200 }
            let refused = replies.filter { $0.status == 429 }
            // one served at once and two waiting: at least three succeed, the others are refused at once
            XCTAssertEqual(served.count + refused.count, 6, "\(replies.map(\.status))")
            XCTAssertGreaterThanOrEqual(served.count, 3)
            XCTAssertGreaterThanOrEqual(refused.count, 1)
            for reply in refused {
                let error = try assertOpenAIError(reply, status: 429, mentions: ["busy", "retry after"])
                XCTAssertEqual(error["type"] as? String, "rate_limit_error")
                let retryAfter = try XCTUnwrap(reply.headers["retry-after"].flatMap { Int($0) })
                XCTAssertGreaterThanOrEqual(retryAfter, 1)
            }
        }
    }

    func testQueue_ServesInArrivalOrder() async throws {
        let model = OrderRecordingModel(latency: 0.6)
        try await withServer(model: model) { base, _ in
            let url = base.appendingPathComponent("completions")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<5 {
                    group.addTask {
                        // arrivals 250 ms apart, so later ones queue behind the ones being served
                        try await Task.sleep(nanoseconds: UInt64(i) * 250_000_000)
                        let reply = try await send("POST", url, json: ["prompt": "r\(i)"], timeout: 20)
                        XCTAssertEqual(reply.status, 200)
                    }
                }
                try await group.waitForAll()
            }
        }
        XCTAssertEqual(model.order, ["r0", "r1", "r2", "r3", "r4"])
    }
}
