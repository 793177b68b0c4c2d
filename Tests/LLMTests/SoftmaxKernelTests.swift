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
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for n in [1, 2, 7, 8, 9, 31, 64, 333, 1000] {
            for spread in [0.1, 3.0, 30.0, 200.0] as [Float] {
                let x = (0..<n).map { _ in Float.random(in: -spread...spread, using: &rng) }
                let want = reference(x)
                for path: Int32 in [0, 1] {
                    var y = x
                    guard ck_softmax_path(path, &y, Int32(n)) == 0 else { continue }
                    checked += 1
                    XCTAssertEqual(Double(y.reduce(0, +)), 1, accuracy: 1e-5, "n \(n) spread \(spread) path \(path)")
                    let top = x.max()!
                    for i in 0..<n {
                        // x - max is rounded to float first (on either path), which costs exp a
                        // relative error of about |x - max| ulps; beyond that 1e-6 for the exp
                        let tolerance = want[i] * (1e-6 + 2.4e-7 * Double(top - x[i]))
                        XCTAssertEqual(Double(y[i]), want[i], accuracy: max(tolerance, 1e-37),
                                       "n \(n) spread \(spread) path \(path) i \(i)")
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 36, "the plain path always runs")
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
