import Foundation
import Numerics
import XCTest

final class ElementWiseTests: XCTestCase {
    func testTanhInPlace_MatchesLibmWithinFewUlp() {
        var xs: [Float] = stride(from: -12.0, through: 12.0, by: 0.001).map { Float($0) }
        xs += [0, 1e-5, -3e-4, 5e-4, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        var ys = xs
        tanhInPlace(&ys)
        var worst: Float = 0
        for (x, y) in zip(xs, ys) {
            let exact = Float(Foundation.tanh(Double(x)))
            worst = max(worst, abs(y - exact))
            XCTAssertEqual(y, exact, accuracy: 4 * exact.ulp + 1e-7, "tanh(\(x))")
        }
        XCTAssertLessThan(worst, 3e-7)
    }

    func testAdamUpdate_OneStep_MatchesFormula() {
        var p: [Float] = [1, -2]
        let g: [Float] = [0.5, 0.25]
        var m: [Float] = [0, 0]
        var v: [Float] = [0, 0]
        p.withUnsafeMutableBufferPointer { pp in
            m.withUnsafeMutableBufferPointer { pm in
                v.withUnsafeMutableBufferPointer { pv in
                    g.withUnsafeBufferPointer { pg in
                        adamUpdate(
                            count: 2, parameters: pp.baseAddress!, gradients: pg.baseAddress!,
                            firstMoment: pm.baseAddress!, secondMoment: pv.baseAddress!,
                            beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.1 / 0.1,
                            bc2Sqrt: Float(0.001).squareRoot(), l2: 0, shrink: 1)
                    }
                }
            }
        }
        // first step: the update is lr · sign(g) (up to eps)
        XCTAssertEqual(p[0], 1 - 0.1, accuracy: 1e-5)
        XCTAssertEqual(p[1], -2 - 0.1, accuracy: 1e-5)
        XCTAssertEqual(m[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(v[1], 0.001 * 0.0625, accuracy: 1e-9)
    }
}

final class AdamRootTests: XCTestCase {
    /// The Adam kernel's √v must track the exact root closely over the range second moments take.
    func testAdamUpdate_SecondMomentRoot_MatchesExactSqrt() {
        var rng = SplitMix64(seed: 5)
        var worst = 0.0
        for _ in 0..<2000 {
            let v = Float(pow(10, rng.uniform() * 40 - 34))  // 1e-34 … 1e6
            // with m = 1, g = 0, β1 = 1: p = -stepSize / (√v + 0) once v is stored unchanged (β2 = 1)
            var p: [Float] = [0]
            var m: [Float] = [1]
            var vv: [Float] = [v]
            let g: [Float] = [0]
            p.withUnsafeMutableBufferPointer { pp in
                m.withUnsafeMutableBufferPointer { pm in
                    vv.withUnsafeMutableBufferPointer { pv in
                        g.withUnsafeBufferPointer { pg in
                            adamUpdate(
                                count: 1, parameters: pp.baseAddress!, gradients: pg.baseAddress!,
                                firstMoment: pm.baseAddress!, secondMoment: pv.baseAddress!,
                                beta1: 1, beta2: 1, eps: 0, stepSize: -1, bc2Sqrt: 1, l2: 0, shrink: 1)
                        }
                    }
                }
            }
            let root = Double(1 / p[0])
            let exact = Double(v).squareRoot()
            worst = max(worst, abs(root - exact) / exact)
        }
        XCTAssertLessThan(worst, 5e-7)
        var zero: [Float] = [0]
        var m: [Float] = [0]
        var v: [Float] = [0]
        let g: [Float] = [0]
        zero.withUnsafeMutableBufferPointer { pp in
            m.withUnsafeMutableBufferPointer { pm in
                v.withUnsafeMutableBufferPointer { pv in
                    g.withUnsafeBufferPointer { pg in
                        adamUpdate(
                            count: 1, parameters: pp.baseAddress!, gradients: pg.baseAddress!,
                            firstMoment: pm.baseAddress!, secondMoment: pv.baseAddress!,
                            beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1, bc2Sqrt: 1, l2: 0, shrink: 1)
                    }
                }
            }
        }
        XCTAssertEqual(zero[0], 0, "a zero gradient leaves the parameter (and √0 = 0)")
    }
}

/// Numerics' element-wise kernels on non-finite input: NaN stays NaN and infinities saturate,
/// without a trap.
final class NonFiniteElementWiseTests: XCTestCase {
    func testTanh_NaNAndInfinity() {
        var x: [Float] = [.nan, .infinity, -.infinity, 0.5]
        tanhInPlace(&x)
        XCTAssertTrue(x[0].isNaN)
        XCTAssertEqual(x[1], 1, accuracy: 1e-6)
        XCTAssertEqual(x[2], -1, accuracy: 1e-6)
        XCTAssertEqual(x[3], tanhf(0.5), accuracy: 1e-6)
    }

    func testSumsAndDots_PropagateNaN() {
        XCTAssertTrue(sumOfSquares([1, .nan]).isNaN)
        XCTAssertTrue(dot([1, .nan], [1, 1]).isNaN)
        XCTAssertEqual(dot([1, .infinity], [1, 1]), .infinity)
    }
}
