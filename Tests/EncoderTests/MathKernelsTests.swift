import XCTest
@testable import Encoder

/// The encoder's kernels on non-finite input: they must return NaN or a limit, never trap
/// (`fastExp` once converted NaN to Int32 and crashed the process).
final class MathKernelsTests: XCTestCase {
    func testFastExp_NonFiniteInput() {
        XCTAssertTrue(fastExp(.nan).isNaN)
        XCTAssertEqual(fastExp(-.infinity), fastExp(-87))
        XCTAssertLessThan(fastExp(-.infinity), 1e-37)
        XCTAssertEqual(fastExp(.infinity), fastExp(88))
        XCTAssertEqual(fastExp(0), 1, accuracy: 1e-6)
        XCTAssertEqual(fastExp(-1), Float(exp(-1.0)), accuracy: 1e-6)
    }

    func testSoftmaxGELUAndLayerNorm_NaNAndInfinityDoNotTrap() {
        var rows: [Float] = [.nan, 1, 2, .infinity, 0, 1, -.infinity, 0, 1]
        rows.withUnsafeMutableBufferPointer { softmaxRows($0.baseAddress!, rows: 3, width: 3) }
        XCTAssertTrue(rows[0..<6].allSatisfy(\.isNaN), "\(rows)")  // NaN and +inf poison their row
        XCTAssertEqual(rows[6], 0, accuracy: 1e-30)
        XCTAssertEqual(rows[7] + rows[8], 1, accuracy: 1e-6)

        var activations: [Float] = [.nan, .infinity, -.infinity, 0]
        activations.withUnsafeMutableBufferPointer { gelu($0.baseAddress!, count: 4) }
        XCTAssertTrue(activations[0].isNaN)
        XCTAssertEqual(activations[1], .infinity)
        XCTAssertEqual(activations[2], 0)
        XCTAssertEqual(activations[3], 0)

        var x: [Float] = [.nan, 1, 2, 3]
        let weight: [Float] = [1, 1, 1, 1], bias: [Float] = [0, 0, 0, 0]
        var scratch = [Float](repeating: 0, count: 4)
        x.withUnsafeMutableBufferPointer { xp in
            scratch.withUnsafeMutableBufferPointer { sp in
                addLayerNorm(xp.baseAddress!, residual: nil, weight: weight, normBias: bias, rows: 1, width: 4,
                             epsilon: 1e-12, scratch: sp.baseAddress!)
            }
        }
        XCTAssertTrue(x.allSatisfy(\.isNaN))
    }
}
