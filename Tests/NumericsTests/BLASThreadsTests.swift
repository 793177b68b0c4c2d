import Foundation
import XCTest
import Numerics

final class BLASThreadsTests: XCTestCase {
    /// Two scopes that overlap on different threads: OpenBLAS stays on one thread until the last
    /// one ends, then gets its earlier count back (a plain save/restore would leave 1 behind).
    func testSingleThreaded_OverlappingScopes_RestoreCountAfterLastExit() {
        let before = BLASThreads.current
        let firstEntered = DispatchSemaphore(value: 0)
        let secondEntered = DispatchSemaphore(value: 0)
        let firstExited = DispatchSemaphore(value: 0)
        let seenInside = LockedValues()

        Thread.detachNewThread {
            BLASThreads.singleThreaded {
                firstEntered.signal()
                secondEntered.wait()
                seenInside.append(BLASThreads.current)
            }
            firstExited.signal()
        }
        firstEntered.wait()
        BLASThreads.singleThreaded {
            secondEntered.signal()
            firstExited.wait()
            // the first scope has ended, this one still runs
            seenInside.append(BLASThreads.current)
        }
        XCTAssertEqual(seenInside.values, [1, 1])
        XCTAssertEqual(BLASThreads.current, before)
    }

    func testSingleThreaded_Throwing_StillRestores() {
        struct Failure: Error {}
        let before = BLASThreads.current
        XCTAssertThrowsError(try BLASThreads.singleThreaded { throw Failure() })
        XCTAssertEqual(BLASThreads.current, before)
    }
}

private final class LockedValues: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int] = []
    var values: [Int] { lock.withLock { stored } }
    func append(_ value: Int) { lock.withLock { stored.append(value) } }
}
