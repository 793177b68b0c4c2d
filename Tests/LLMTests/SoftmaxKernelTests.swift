import Basics
import CKernels
import XCTest

/// The vectorised softmax of attention against libm's exp in Double, on rows with the spreads
/// attention scores have (and the lengths that leave a tail of 1-7 elements).
final class SoftmaxKernelTests: XCTestCase {
    private func reference(_ x: [Float]) -> [Double] {
        let top = Double(x.max()!)
        let e = x.map { exp(Double($0) - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    func testEveryPath_MatchesDoubleReference() throws {
        var checked = 0
        for seed: UInt64 in 1...8 {
            var rng = SplitMix64(seed: seed)
            for n in [1, 2, 7, 8, 9, 31, 64, 333, 1000] {
                for spread in [0.1, 3.0, 30.0, 200.0] as [Float] {
                    let x = (0..<n).map { _ in Float.random(in: -spread...spread, using: &rng) }
                    for path: Int32 in [0, 1] {
                        var y = x
                        guard ck_softmax_path(path, &y, Int32(n)) == 0 else { continue }
                        checked += 1
                        check(y, against: x, "seed \(seed) n \(n) spread \(spread) path \(path)")
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 8 * 36, "the plain path always runs")
    }

    /// Two errors, checked apart: each exp (as a ratio to the row maximum's, which the sum does
    /// not touch) and the one normalising factor, 1 / (a float sum of n terms).
    private func check(_ y: [Float], against x: [Float], _ label: String) {
        let want = reference(x)
        let n = x.count
        let top = x.indices.max { x[$0] < x[$1] }!
        XCTAssertEqual(Double(y.reduce(0, +)), 1, accuracy: 1e-5, label)
        // a sequential float sum of n positive terms is off by at most (n - 1) units of 2^-24
        let sumError = Double(max(n - 1, 1)) * 0x1p-24
        XCTAssertEqual(Double(y[top]), want[top], accuracy: want[top] * (1e-6 + sumError), label)
        for i in 0..<n {
            // x - max is rounded to float first (on either path), which costs exp a relative
            // error of about |x - max| ulps; beyond that 1e-6 for the exp
            let exact = exp(Double(x[i]) - Double(x[top]))
            let tolerance = exact * (1e-6 + 2.4e-7 * Double(x[top] - x[i]))
            XCTAssertEqual(Double(y[i]) / Double(y[top]), exact, accuracy: max(tolerance, 1e-37),
                           "\(label) i \(i)")
        }
    }

    func testDefaultPath_IsTheBestAvailable_AndHandlesExtremes() {
        var x: [Float] = [0, -1000, 50, 50, -.greatestFiniteMagnitude]
        ck_softmax(&x, Int32(x.count))
        XCTAssertEqual(x[2], 0.5, accuracy: 1e-6)
        XCTAssertEqual(x[3], 0.5, accuracy: 1e-6)
        XCTAssertEqual(x[1], 0, accuracy: 1e-30)
        XCTAssertEqual(x[4], 0, accuracy: 1e-30)
        XCTAssertFalse(x.contains { $0.isNaN })
    }
}
