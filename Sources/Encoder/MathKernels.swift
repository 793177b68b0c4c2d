import CBLAS

// Small numeric primitives of the BERT forward pass, over raw float buffers. Each states its
// contract; none allocates.

/// `y (n, out) = x (n, in) @ W (out, in)^T + bias` — PyTorch `nn.Linear`. The bias is written into
/// `y` first and the product accumulated onto it (beta 1), which spares OpenBLAS its zeroing pass
/// over `y` and the caller a separate bias pass.
@inline(__always)
func linear(
    _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
    bias: UnsafePointer<Float>, rows n: Int, inputs: Int, outputs: Int
) {
    for r in 0..<n { (y + r * outputs).update(from: bias, count: outputs) }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(outputs), Int32(inputs),
                1, x, Int32(inputs), w, Int32(inputs), 1, y, Int32(outputs))
}

/// Sum of `count` floats with eight independent accumulators (breaks the add latency chain).
@inline(__always)
func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
    var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
    var i = 0
    while i + 8 <= count {
        a0 += x[i]; a1 += x[i + 1]; a2 += x[i + 2]; a3 += x[i + 3]
        a4 += x[i + 4]; a5 += x[i + 5]; a6 += x[i + 6]; a7 += x[i + 7]
        i += 8
    }
    while i < count { a0 += x[i]; i += 1 }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
}

/// `x (n, d) = LayerNorm(x + residual) * weight + normBias`, row by row, biased variance.
/// `residual` is optional (the embedding LayerNorm has none).
func addLayerNorm(
    _ x: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?,
    weight: UnsafePointer<Float>, normBias: UnsafePointer<Float>, rows n: Int, width d: Int,
    epsilon: Float, scratch: UnsafeMutablePointer<Float>
) {
    for r in 0..<n {
        let row = x + r * d
        if let residual {
            let res = residual + r * d
            for i in 0..<d { row[i] += res[i] }
        }
        let mean = sum(row, count: d) / Float(d)
        for i in 0..<d {
            let c = row[i] - mean
            scratch[i] = c * c
        }
        let variance = sum(scratch, count: d) / Float(d)
        let scale = 1 / (variance + epsilon).squareRoot()
        for i in 0..<d { row[i] = (row[i] - mean) * scale * weight[i] + normBias[i] }
    }
}

/// In-place softmax over each of `n` rows of width `d` (find max value for numerical stability).
func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows n: Int, width d: Int) {
    for r in 0..<n {
        let row = x + r * d
        var maximum = row[0]
        for i in 1..<d where row[i] > maximum { maximum = row[i] }
        for i in 0..<d { row[i] = fastExp(row[i] - maximum) }
        let inverse = 1 / sum(row, count: d)
        for i in 0..<d { row[i] *= inverse }
    }
}

/// Exact (erf) GELU in place on `count` floats: `0.5 * v * (1 + erf(v / sqrt(2)))` (PyTorch
/// `F.gelu`, approximate='none'). NaN stays NaN, +inf stays +inf, -inf gives 0.
func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        let value = 0.5 * v * (1 + fastErf(v * 0.70710678118654752))
        // GELU(-inf) is 0, but -inf times the rational erf's tiny excess over -1 is not
        x[i] = v == -.infinity ? 0 : value
    }
}

/// erf(x) as `x · P(x²) / Q(x²)` on x clamped to [-4, 4] (erf(4) = 1 - 1.5e-8). Degree-5 rational
/// fitted by reweighted least squares to erf on [0, 4]; max abs error 3.8e-7 in Float arithmetic.
/// Branch-free so the GELU loop vectorizes.
@inline(__always)
func fastErf(_ value: Float) -> Float {
    let x = value > 4 ? 4 : (value < -4 ? -4 : value)
    let t = x * x
    var p: Float = 2.027286654993077e-06
    p = p * t + 0.0002861880057025701
    p = p * t + 0.00384470634162426
    p = p * t + 0.05298176407814026
    p = p * t + 0.1923081874847412
    p = p * t + 1.128378987312317
    var q: Float = 3.792855568462983e-05
    q = q * t + 0.00118105742149055
    q = q * t + 0.015124429017305374
    q = q * t + 0.1148795336484909
    q = q * t + 0.503760576248169
    q = q * t + 1
    return x * p / q
}

/// e^x for x ≤ 0 (softmax after max subtraction), relative error about 2e-7.
/// Range reduction x = k·ln2 + r with |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r, and 2^k
/// built from the exponent bits. Inputs below -87 return ~0 and above 88 return e^88 (clamped);
/// NaN returns NaN. The clamp must catch NaN before `Int32(k)`, which traps on it: weights that
/// decode to NaN once crashed the process here.
@inline(__always)
func fastExp(_ value: Float) -> Float {
    // maximum/minimum return the number when the other operand is NaN, so x is always in range
    let x = Float.minimum(Float.maximum(value, -87), 88)
    // round to nearest by adding and subtracting 1.5 * 2^23 (branch-free, vectorizes)
    let k = (x * 1.4426950408889634 + 12_582_912) - 12_582_912
    let r = (x - k * 0.693145751953125) - k * 1.428606765330187e-06
    var p: Float = 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let result = p * Float(bitPattern: UInt32(bitPattern: Int32(k) + 127) << 23)
    return value.isNaN ? value : result
}
