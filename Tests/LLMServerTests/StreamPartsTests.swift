import Foundation
@testable import LLMServer
import XCTest

/// The pieces of streaming and queueing that a live server exercises only by chance.
final class StreamPartsTests: XCTestCase {
    func testHoldback_NeverSendsTextAStopStringMayStillRemove() {
        var text = StopStringHoldback(stops: ["\n\n"])
        XCTAssertEqual(text.append("abc\n"), "abc")
        // the model cut here: the held "\n" never goes out
        XCTAssertEqual(text.finish("abc"), "")

        var partial = StopStringHoldback(stops: ["abc"])
        XCTAssertEqual(partial.append("xab"), "x")
        XCTAssertEqual(partial.append("d"), "abd", "not a stop string after all")
        XCTAssertEqual(partial.finish("xabd!"), "!")
    }

    func testHoldback_AWholeStopStringInAPieceIsNotSent() {
        var text = StopStringHoldback(stops: ["END", "##"])
        XCTAssertEqual(text.append("one END two"), "one ")
        XCTAssertEqual(text.append(" three"), "")
        XCTAssertEqual(text.finish("one "), "")
    }

    func testHoldback_WithoutStops_SendsEverything_AndFinishNeverContradictsWhatWasSent() {
        var text = StopStringHoldback(stops: [])
        XCTAssertEqual(text.append("héllo "), "héllo ")
        XCTAssertEqual(text.append("wörld"), "wörld")
        XCTAssertEqual(text.finish("héllo wörld"), "")
        var other = StopStringHoldback(stops: [])
        _ = other.append("abc")
        XCTAssertEqual(other.finish("xyz"), "", "a final text that disagrees with the pieces adds nothing")
    }

    func testQueue_ServesInOrder_AndRefusesBeyondItsBound() async throws {
        let queue = ModelQueue(slots: 1, maxWaiting: 2)
        try await queue.enter()
        let order = OrderLog()
        let first = Task { try await queue.enter(); await order.add(1) }
        try await Task.sleep(nanoseconds: 50_000_000)
        let second = Task { try await queue.enter(); await order.add(2) }
        try await Task.sleep(nanoseconds: 50_000_000)
        do {
            try await queue.enter()
            XCTFail("a third waiter was let in")
        } catch let full as ModelQueue.Full {
            XCTAssertEqual(full.waiting, 2)
            XCTAssertGreaterThanOrEqual(full.retryAfter, 1)
        }
        await queue.leave(heldFor: 0.1)
        try await first.value
        await queue.leave(heldFor: 0.1)
        try await second.value
        await queue.leave(heldFor: 0.1)
        let seen = await order.items
        XCTAssertEqual(seen, [1, 2])
        let occupancy = await queue.occupancy
        XCTAssertEqual(occupancy.serving, 0)
        XCTAssertEqual(occupancy.waiting, 0)
    }

    func testQueue_ACancelledWaiterLeavesTheLine() async throws {
        let queue = ModelQueue(slots: 1, maxWaiting: 1)
        try await queue.enter()
        let waiter = Task { try await queue.enter() }
        try await Task.sleep(nanoseconds: 50_000_000)
        waiter.cancel()
        let result = await waiter.result
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError) }
        // its place is free again
        let next = Task { try await queue.enter() }
        try await Task.sleep(nanoseconds: 50_000_000)
        await queue.leave(heldFor: 0)
        try await next.value
        await queue.leave(heldFor: 0)
    }
}

private actor OrderLog {
    var items: [Int] = []
    func add(_ item: Int) { items.append(item) }
}
