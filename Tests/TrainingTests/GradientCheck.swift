import Numerics
import Training
import XCTest

/// Finite-difference gradient checking in float32.
///
/// Forward passes run in Float; the scalar objective `L = Σ c ⊙ output` (fixed random `c`) is
/// accumulated in Double. Central differences use h = 1e-2 and the actual perturbation after
/// rounding to Float. Documented float32 tolerance: |numeric − analytic| ≤ 2e-3 + 1e-2·|analytic|.
/// Rounding noise is about 1e-5 and the truncation error O(h²) about 1e-4, while a wrong transpose,
/// sign or factor gives errors of the gradient's own size (1e-2 … 1). ReLU nets use h = 1e-3 so a
/// perturbation rarely crosses a kink.
enum GradientCheck {
    static let h: Float = 1e-2
    static let absoluteTolerance = 2e-3
    static let relativeTolerance = 1e-2

    static func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, scale: Double = 1) -> Matrix {
        var rng = SplitMix64(seed: seed)
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.count { m.data[i] = Float(rng.normal() * scale) }
        return m
    }

    /// Σ c ⊙ y in Double.
    static func weightedSum(_ y: Matrix, _ c: Matrix) -> Double {
        dot(y.data, c.data)
    }

    /// Checks `analytic` against central differences of `objective` over (a sample of) the entries
    /// of `values`, which `objective` reads through `perturbed`.
    static func check(
        _ label: String, values: [Float], analytic: [Float], samples: Int = 24, h: Float = GradientCheck.h,
        file: StaticString = #filePath, line: UInt = #line,
        objective: ([Float]) -> Double
    ) {
        XCTAssertEqual(values.count, analytic.count, "\(label): gradient shape", file: file, line: line)
        let stride = max(1, values.count / samples)
        var worst = 0.0
        for i in Swift.stride(from: 0, to: values.count, by: stride) {
            var plus = values
            var minus = values
            plus[i] += h
            minus[i] -= h
            let delta = Double(plus[i]) - Double(minus[i])
            let numeric = (objective(plus) - objective(minus)) / delta
            let a = Double(analytic[i])
            let err = abs(numeric - a)
            worst = max(worst, err)
            XCTAssertLessThanOrEqual(
                err, absoluteTolerance + relativeTolerance * abs(a),
                "\(label)[\(i)]: numeric \(numeric) vs analytic \(a)", file: file, line: line)
        }
    }
}

/// Writes `values` into the `index`-th parameter (visiting order) of `container`.
func setParameter<M: ParameterContainer>(_ container: inout M, _ index: Int, _ values: [Float]) {
    var k = 0
    container.visitParameters { p in
        if k == index { p.value.data = values }
        k += 1
    }
}

/// Values and gradients of every parameter of `container`, in visiting order.
func parameterSnapshot<M: ParameterContainer>(_ container: inout M) -> [(value: [Float], grad: [Float])] {
    var out: [(value: [Float], grad: [Float])] = []
    container.visitParameters { out.append(($0.value.data, $0.grad.data)) }
    return out
}
