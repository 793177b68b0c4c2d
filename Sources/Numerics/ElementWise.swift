/// Element-wise and reduction primitives over contiguous buffers. Each states its shapes.

/// `y (n,) += alpha * x (n,)`.
@inlinable
public func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
    precondition(x.count == y.count, "axpy lengths differ: \(x.count) vs \(y.count)")
    x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
            for i in 0..<px.count { py[i] += alpha * px[i] }
        }
    }
}

/// `x (n,) *= alpha`.
@inlinable
public func scale(_ x: inout [Float], by alpha: Float) {
    x.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count { p[i] *= alpha }
    }
}

/// Sum of squares of `x (n,)`, accumulated in Double.
@inlinable
public func sumOfSquares(_ x: [Float]) -> Double {
    x.withUnsafeBufferPointer { p in
        var s = 0.0
        for v in p { s += Double(v) * Double(v) }
        return s
    }
}

/// `x (n,) · y (n,)`, accumulated in Double.
@inlinable
public func dot(_ x: [Float], _ y: [Float]) -> Double {
    precondition(x.count == y.count, "dot lengths differ: \(x.count) vs \(y.count)")
    return x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in
            var s = 0.0
            for i in 0..<px.count { s += Double(px[i]) * Double(py[i]) }
            return s
        }
    }
}

/// Adds `bias (cols,)` to every row of `m (rows, cols)`.
public func addRowVector(_ bias: [Float], to m: inout Matrix) {
    precondition(bias.count == m.cols, "bias has \(bias.count) values, matrix has \(m.cols) columns")
    let n = m.cols
    bias.withUnsafeBufferPointer { pb in
        m.data.withUnsafeMutableBufferPointer { pm in
            for r in 0..<m.rows {
                for c in 0..<n { pm[r * n + c] += pb[c] }
            }
        }
    }
}

/// `out (cols,) += column sums of m (rows, cols)` (the bias gradient of a linear layer).
public func addColumnSums(of m: Matrix, to out: inout [Float]) {
    precondition(out.count == m.cols, "output has \(out.count) values, matrix has \(m.cols) columns")
    let n = m.cols
    m.data.withUnsafeBufferPointer { pm in
        out.withUnsafeMutableBufferPointer { po in
            for r in 0..<m.rows {
                for c in 0..<n { po[c] += pm[r * n + c] }
            }
        }
    }
}

/// `a (n,) *= b (n,)`, element by element (a Hadamard product in place).
@inlinable
public func multiplyInPlace(_ a: inout [Float], by b: [Float]) {
    precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
    b.withUnsafeBufferPointer { pb in
        a.withUnsafeMutableBufferPointer { pa in
            for i in 0..<pa.count { pa[i] *= pb[i] }
        }
    }
}

/// `x (n,) ← tanh(x)`, element-wise, as a vectorizable rational approximation.
///
/// tanh(x) ≈ x·P(x²)/Q(x²) with degree-13/6 polynomials on x clamped to ±7.9053, where tanh is
/// ±1 in Float; below |x| < 4e-4 it returns x. The coefficients are the minimax fit used by
/// Eigen's `generic_fast_tanh_float`; the error is a few ulp (tested against libm's `tanhf`).
/// libm's `tanhf` is a scalar call per element and costs more than the matrix products of a head.
public func tanhInPlace(_ x: inout [Float]) {
    let clamp: Float = 7.905_311_107_635_498_05
    let a1: Float = 4.893_524_558_917_86e-03
    let a3: Float = 6.372_619_288_754_36e-04
    let a5: Float = 1.485_722_357_179_79e-05
    let a7: Float = 5.122_297_090_371_14e-08
    let a9: Float = -8.604_671_522_137_35e-11
    let a11: Float = 2.000_187_904_824_77e-13
    let a13: Float = -2.760_768_477_423_55e-16
    let b0: Float = 4.893_525_185_543_85e-03
    let b2: Float = 2.268_434_632_439_00e-03
    let b4: Float = 1.185_347_056_866_54e-04
    let b6: Float = 1.198_258_394_667_02e-06
    x.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count {
            let v = p[i]
            let c = min(max(v, -clamp), clamp)
            let c2 = c * c
            var num = c2 * a13 + a11
            num = c2 * num + a9
            num = c2 * num + a7
            num = c2 * num + a5
            num = c2 * num + a3
            num = c2 * num + a1
            num = c * num
            var den = c2 * b6 + b4
            den = c2 * den + b2
            den = c2 * den + b0
            let r = num / den
            p[i] = abs(v) < 4e-4 ? v : r
        }
    }
}

/// One Adam/AdamW update over `count` contiguous parameters (see `Adam` in Training):
/// p ← p·shrink; g' = g + l2·p; m ← m + (1-β1)(g' - m); v ← β2·v + (1-β2)·g'²;
/// p ← p - stepSize · m / (√v · (1 / bc2Sqrt) + ε).
///
/// Swift's `squareRoot()` calls libm's `sqrtf` lane by lane (errno semantics), and the plain
/// scalar loop does not vectorize, so the body runs on `SIMD8<Float>` with √v computed by
/// `newtonSquareRoot` (multiplies and adds only). The tail runs the same arithmetic one lane at
/// a time, so every element gets bit-identical treatment.
@inline(never)
public func adamUpdate(
    count: Int, parameters p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
    firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>,
    beta1: Float, beta2: Float, eps: Float, stepSize: Float, bc2Sqrt: Float, l2: Float, shrink: Float
) {
    typealias V = SIMD8<Float>
    let oneMinusB1 = 1 - beta1
    let oneMinusB2 = 1 - beta2
    let invBc2Sqrt = 1 / bc2Sqrt
    let vectorEnd = count - count % 8
    var i = 0
    while i < vectorEnd {
        let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
        let grad = UnsafeRawPointer(g + i).loadUnaligned(as: V.self) + l2 * pi
        let m0 = UnsafeRawPointer(m + i).loadUnaligned(as: V.self)
        let v0 = UnsafeRawPointer(v + i).loadUnaligned(as: V.self)
        let mi = m0 + oneMinusB1 * (grad - m0)
        let vi = beta2 * v0 + oneMinusB2 * grad * grad
        let updated = pi * shrink - stepSize * mi / (newtonSquareRoot(vi) * invBc2Sqrt + eps)
        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
        UnsafeMutableRawPointer(p + i).storeBytes(of: updated, as: V.self)
        i += 8
    }
    while i < count {
        let grad = g[i] + l2 * p[i]
        let mi = m[i] + oneMinusB1 * (grad - m[i])
        let vi = beta2 * v[i] + oneMinusB2 * grad * grad
        m[i] = mi
        v[i] = vi
        p[i] = p[i] * shrink - stepSize * mi / (newtonSquareRoot(vi) * invBc2Sqrt + eps)
        i += 1
    }
}

/// √v for v ≥ 0 as `v · rsqrt(v)`: the bit-trick estimate of 1/√v refined by three Newton steps
/// (within ~2 ulp of the exact root; √0 = 0).
@inline(__always)
public func newtonSquareRoot(_ v: Float) -> Float {
    var y = Float(bitPattern: 0x5F37_5A86 &- (v.bitPattern &>> 1))
    let half = 0.5 * v
    for _ in 0..<3 { y = y * (1.5 - half * y * y) }
    return v * y
}

/// `newtonSquareRoot` on 8 lanes, the same operations in the same order.
@inline(__always)
public func newtonSquareRoot(_ v: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(v, to: SIMD8<UInt32>.self)
    var y = unsafeBitCast(SIMD8<UInt32>(repeating: 0x5F37_5A86) &- (bits &>> 1), to: SIMD8<Float>.self)
    let half = 0.5 * v
    for _ in 0..<3 { y = y * (1.5 - half * y * y) }
    return v * y
}
