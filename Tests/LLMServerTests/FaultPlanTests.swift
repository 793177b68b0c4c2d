import Foundation
import LLMServer
import LLMTestSupport
import XCTest

final class FaultPlanTests: XCTestCase {
    // MARK: - Parsing

    func testParsing_FullSpecification() throws {
        let plan = try FaultPlan(parsing: "delay=200ms,429=0.2:retry-after=1,500=0.1,truncate=0.1,invalid-json=0.1,seed=3")
        XCTAssertEqual(plan.delay, 0.2, accuracy: 1e-12)
        XCTAssertEqual(plan.tooManyRequestsRate, 0.2)
        XCTAssertEqual(plan.retryAfter, "1")
        XCTAssertEqual(plan.serverErrorRate, 0.1)
        XCTAssertEqual(plan.truncateRate, 0.1)
        XCTAssertEqual(plan.invalidJSONRate, 0.1)
        XCTAssertEqual(plan.seed, 3)
        XCTAssertEqual(try FaultPlan(parsing: "delay=1.5s").delay, 1.5)
        XCTAssertEqual(try FaultPlan(parsing: ""), FaultPlan.none)
    }

    func testParsing_BadItems_NameTheItem() {
        for spec in ["429=2", "bogus=1", "delay=fast", "500", "seed=-1", "500=0.1:retry-after=1", "429=0.1:wait=3"] {
            XCTAssertThrowsError(try FaultPlan(parsing: spec), spec) { error in
                guard case let FaultPlanError.invalidItem(item, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(item, spec)
            }
        }
        XCTAssertThrowsError(try FaultPlan(parsing: "429=0.6,500=0.6"))
    }

    // MARK: - Draws

    func testDraws_FollowTheRates() {
        let plan = FaultPlan(tooManyRequestsRate: 0.2, serverErrorRate: 0.1, truncateRate: 0.3)
        var rng = SystemRandomNumberGenerator()
        var counts: [String: Int] = [:]
        let total = 4000
        for _ in 0..<total {
            let key: String
            switch plan.fault(forDraw: Double.random(in: 0..<1, using: &rng)) {
            case .tooManyRequests: key = "429"
            case .serverError: key = "500"
            case .truncatedJSON: key = "truncate"
            default: key = "ok"
            }
            counts[key, default: 0] += 1
        }
        XCTAssertEqual(Double(counts["429", default: 0]) / Double(total), 0.2, accuracy: 0.04)
        XCTAssertEqual(Double(counts["500", default: 0]) / Double(total), 0.1, accuracy: 0.04)
        XCTAssertEqual(Double(counts["truncate", default: 0]) / Double(total), 0.3, accuracy: 0.04)
        XCTAssertEqual(Double(counts["ok", default: 0]) / Double(total), 0.4, accuracy: 0.04)
    }

    /// The same seed gives the same sequence of statuses over the socket; another seed differs.
    func testSeededPlan_IsDeterministicOverTheSocket() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            var result: [Int] = []
            try await withServer(faults: FaultPlan(tooManyRequestsRate: 0.3, serverErrorRate: 0.3, seed: seed)) { base, _ in
                for _ in 0..<16 {
                    result.append(try await send("GET", base.appendingPathComponent("models")).status)
                }
            }
            return result
        }
        let first = try await statuses(seed: 3)
        let repeated = try await statuses(seed: 3)
        let other = try await statuses(seed: 4)
        XCTAssertEqual(first, repeated)
        XCTAssertNotEqual(first, other)
        XCTAssertTrue(first.contains(200) && first.contains(429) && first.contains(500), "\(first)")
    }

    // MARK: - Each fault over the socket

    func testScriptedFaults_ThenNormalAnswers() async throws {
        let script: [Fault] = [.tooManyRequests(retryAfter: "2"), .serverError, .truncatedJSON, .invalidJSON, .delay(0.2)]
        try await withServer(faults: .scripted(script)) { base, _ in
            let url = base.appendingPathComponent("completions")
            let body = ["prompt": "hello"]
            let limited = try await send("POST", url, json: body)
            XCTAssertEqual(limited.status, 429)
            XCTAssertEqual(limited.headers["retry-after"], "2")
            let failed = try await send("POST", url, json: body)
            XCTAssertEqual(failed.status, 500)
            let truncated = try await send("POST", url, json: body)
            XCTAssertEqual(truncated.status, 200)
            XCTAssertThrowsError(try JSONSerialization.jsonObject(with: truncated.body))
            XCTAssertTrue(String(decoding: truncated.body, as: UTF8.self).hasPrefix("{"))
            let invalid = try await send("POST", url, json: body)
            XCTAssertThrowsError(try JSONSerialization.jsonObject(with: invalid.body))
            let start = Date()
            let delayed = try await send("POST", url, json: body)
            XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.19)
            XCTAssertEqual(delayed.status, 200)
            XCTAssertNoThrow(try delayed.json())
        }
    }

    func testDelayPlan_DelaysEveryRequest() async throws {
        try await withServer(faults: try FaultPlan(parsing: "delay=150ms")) { base, _ in
            let start = Date()
            _ = try await send("GET", base.appendingPathComponent("models"))
            _ = try await send("GET", base.appendingPathComponent("models"))
            XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.29)
        }
    }
}
