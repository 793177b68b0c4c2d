import Foundation
import Basics
import OpenAIClient
import XCTest

final class ClientUnitTests: XCTestCase {
    // MARK: - Retry-After and backoff

    func testRetryAfter_SecondsAndHTTPDate() throws {
        XCTAssertEqual(RetryPolicy.parseRetryAfter("3"), 3)
        XCTAssertEqual(RetryPolicy.parseRetryAfter(" 1.5 "), 1.5)
        let now = try XCTUnwrap(ISO8601DateFormatter().date(from: "2015-10-21T07:27:50Z"))
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now), 10)
        XCTAssertEqual(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now: now), 0)
        XCTAssertNil(RetryPolicy.parseRetryAfter("soon"))
    }

    func testBackoff_FullJitterWithinCapAndRaisedToRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 3, maxRetryAfter: 10)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1), 0.5)
        XCTAssertEqual(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1), 2)
        XCTAssertEqual(policy.delay(afterAttempt: 6, retryAfter: nil, random: 1), 3)
        XCTAssertEqual(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.25), 0.5)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: 4, random: 0.5), 4)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: 99, random: 0.5), 10)
    }

    // MARK: - Nearest option

    func testNearestOption_ExactThenContainmentThenOverlap() {
        let options = ["[1]", "[10]", "science fiction", "drama"]
        XCTAssertEqual(OptionMatching.nearestOption(to: "  Drama. ", options: options), 3)
        XCTAssertEqual(OptionMatching.nearestOption(to: "The answer is [10]", options: options), 1)
        XCTAssertEqual(OptionMatching.nearestOption(to: "fiction", options: options), 2)
        XCTAssertEqual(OptionMatching.nearestOption(to: "hard science stuff", options: options), 2)
        XCTAssertNil(OptionMatching.nearestOption(to: "nothing alike", options: options))
    }

    func testOneHot_IsADistribution() {
        let vector = OptionMatching.oneHotLogProbabilities(picked: 2, count: 4)
        XCTAssertEqual(vector.map(exp).reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(vector.firstIndex(of: vector.max()!), 2)
        let uniform = OptionMatching.oneHotLogProbabilities(picked: nil, count: 4)
        XCTAssertEqual(uniform, Array(repeating: log(0.25), count: 4))
    }

    // MARK: - Semaphore

    func testSemaphore_CancelledWaiterLeavesQueue() async throws {
        let semaphore = AsyncSemaphore(limit: 1)
        try await semaphore.acquire()
        let waiter = Task { try await semaphore.acquire() }
        try await Task.sleep(nanoseconds: 50_000_000)
        waiter.cancel()
        let result = await waiter.result
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError) }
        await semaphore.release()
        // The permit went back to the pool rather than to the cancelled waiter.
        let next = Task { try await semaphore.acquire() }
        try await next.value
    }
}
