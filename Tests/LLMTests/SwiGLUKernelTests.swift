import Basics
import CKernels
import XCTest

/// The feed-forward's gate, silu(g) * u, on every available path against libm in Double, over
/// the range of gate values the model produces and the extremes where exp(-g) overflows.
final class SwiGLUKernelTests: XCTestCase {
    private func reference(_ g: Float, _ u: Float) -> Double {
        Double(g) / (1 + exp(-Double(g))) * Double(u)
    }

    func testEveryPath_MatchesDoubleReference() {
        var checked = 0
        for seed: UInt64 in 1...4 {
            var rng = SplitMix64(seed: seed)
            for n in [1, 7, 8, 9, 1536] {
                for spread in [0.5, 8.0, 120.0] as [Float] {
                    let gate = (0..<n).map { _ in Float.random(in: -spread...spread, using: &rng) }
                    let up = (0..<n).map { _ in Float.random(in: -2...2, using: &rng) }
                    for path: Int32 in [0, 1] {
                        var y = gate
                        guard ck_swiglu_path(path, &y, up, Int32(n)) == 0 else { continue }
                        checked += 1
                        for i in 0..<n {
                            let want = reference(gate[i], up[i])
                            XCTAssertEqual(Double(y[i]), want, accuracy: abs(want) * 2e-6 + 1e-30,
                                           "seed \(seed) n \(n) path \(path) g \(gate[i])")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 4 * 15, "the plain path always runs")
    }

    func testDefaultPath_HandlesExtremes() {
        var gate: [Float] = [0, -0.0, 1000, -1000, 88, -88, 20, -20, 3]
        let up: [Float] = [1, 1, 2, 2, 1, 1, 1, 1, 0]
        ck_swiglu(&gate, up, Int32(gate.count))
        XCTAssertEqual(gate[0], 0)
        XCTAssertEqual(gate[1], 0)
        XCTAssertEqual(gate[2], 2000, accuracy: 1e-3)
        XCTAssertEqual(gate[3], 0, accuracy: 1e-30)
        XCTAssertEqual(gate[4], 88, accuracy: 1e-4)
        XCTAssertEqual(gate[5], 0, accuracy: 1e-30)
        XCTAssertEqual(Double(gate[7]), -20 / (1 + exp(20.0)), accuracy: 1e-12)
        XCTAssertEqual(gate[8], 0)
        XCTAssertFalse(gate.contains { $0.isNaN || $0.isInfinite })
    }
}
