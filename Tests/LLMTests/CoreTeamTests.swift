import CKernels
import Foundation
import XCTest
@testable import LLM

/// The helper thread of parallel regions (`ckernels_team.h`).
final class CoreTeamTests: XCTestCase {
    /// Every chunk runs exactly once, over many regions in a row (the helper spinning between
    /// them, or asleep after a pause), and a region inside a chunk runs serially.
    func testEveryChunkRunsOnce_AcrossRegions_AndNestedRegionsRunInline() {
        var parallelBefore = 0, serialBefore = 0
        ck_team_counts(&parallelBefore, &serialBefore)
        var nestedInRegions = 0
        for round in 0..<300 {
            let chunks = 1 + round % 20
            if chunks > 1 { nestedInRegions += chunks }
            var counts = [Int](repeating: 0, count: chunks)
            // one slot per inner chunk: a single-chunk region runs inline on the caller, so the
            // region inside it is a top-level one whose chunks may run on both threads
            var nested = [Int](repeating: 0, count: chunks * 3)
            counts.withUnsafeMutableBufferPointer { counts in
                nested.withUnsafeMutableBufferPointer { nested in
                    WeightMatrix.inChunks(chunks) { c in
                        counts[c] += 1
                        WeightMatrix.inChunks(3) { i in nested[c * 3 + i] += 1 }
                    }
                }
            }
            XCTAssertEqual(counts, Array(repeating: 1, count: chunks), "round \(round)")
            XCTAssertEqual(nested, Array(repeating: 1, count: chunks * 3), "round \(round)")
            if round % 100 == 99 { Thread.sleep(forTimeInterval: 0.002) }  // let the helper fall asleep
        }
        var parallel = 0, serial = 0
        ck_team_counts(&parallel, &serial)
        XCTAssertGreaterThan(parallel, parallelBefore, "regions of several chunks ran on two threads")
        XCTAssertGreaterThanOrEqual(serial - serialBefore, nestedInRegions, "regions inside a chunk ran serially")
    }

    /// Two threads running regions at once: one gets the helper, the other runs its region alone,
    /// and both get every chunk.
    func testConcurrentCallers_EachGetEveryChunk() {
        let sums = NSLock()
        nonisolated(unsafe) var results: [Int] = []
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            var sum = 0
            for _ in 0..<200 {
                var parts = [Int](repeating: 0, count: 16)
                parts.withUnsafeMutableBufferPointer { parts in WeightMatrix.inChunks(16) { parts[$0] = $0 + 1 } }
                sum += parts.reduce(0, +)
            }
            sums.withLock { results.append(sum) }
        }
        XCTAssertEqual(results, [200 * 136, 200 * 136])
    }
}
