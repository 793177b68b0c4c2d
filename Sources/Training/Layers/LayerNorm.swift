import Numerics

/// Layer normalization over the last dimension (PyTorch `nn.LayerNorm(n, eps=1e-5)`):
/// `y = (x - mean) / sqrt(var + eps) * gamma + beta`, with the biased variance.
public struct LayerNorm: Sendable, Equatable, ParameterContainer {
    /// Scale, (1, n), initialised to 1.
    public var gamma: Parameter
    /// Shift, (1, n), initialised to 0.
    public var beta: Parameter
    /// Added to the variance.
    public let eps: Float

    /// What the backward pass needs from the forward pass.
    public struct Cache: Sendable {
        /// Normalized input (B, n).
        var xhat: Matrix
        /// 1 / sqrt(var + eps) per row (B).
        var rstd: [Float]
    }

    /// A layer norm over `width` features.
    public init(width: Int, eps: Float = 1e-5) {
        gamma = Parameter(Matrix(rows: 1, cols: width, repeating: 1))
        beta = Parameter(Matrix(rows: 1, cols: width))
        self.eps = eps
    }

    public mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        try body(&gamma)
        try body(&beta)
    }

    /// y (B, n) from x (B, n); statistics per row in Double.
    public func forward(_ x: Matrix) -> (output: Matrix, cache: Cache) {
        let n = x.cols
        var xhat = x
        var rstd = [Float](repeating: 0, count: x.rows)
        var y = Matrix(rows: x.rows, cols: n)
        for r in 0..<x.rows {
            var mean = 0.0
            for c in 0..<n { mean += Double(x.data[r * n + c]) }
            mean /= Double(n)
            var variance = 0.0
            for c in 0..<n {
                let d = Double(x.data[r * n + c]) - mean
                variance += d * d
            }
            variance /= Double(n)
            let s = 1 / (variance + Double(eps)).squareRoot()
            rstd[r] = Float(s)
            for c in 0..<n {
                let h = Float((Double(x.data[r * n + c]) - mean) * s)
                xhat.data[r * n + c] = h
                y.data[r * n + c] = h * gamma.value.data[c] + beta.value.data[c]
            }
        }
        return (y, Cache(xhat: xhat, rstd: rstd))
    }

    /// Accumulates dgamma, dbeta and returns dx (B, n):
    /// dx = rstd * (g - mean(g) - xhat * mean(g ⊙ xhat)), with g = dy ⊙ gamma.
    public mutating func backward(_ dy: Matrix, cache: Cache) -> Matrix {
        let n = dy.cols
        var dx = Matrix(rows: dy.rows, cols: n)
        for r in 0..<dy.rows {
            var meanG = 0.0
            var meanGX = 0.0
            for c in 0..<n {
                let g = Double(dy.data[r * n + c]) * Double(gamma.value.data[c])
                meanG += g
                meanGX += g * Double(cache.xhat.data[r * n + c])
                gamma.grad.data[c] += dy.data[r * n + c] * cache.xhat.data[r * n + c]
                beta.grad.data[c] += dy.data[r * n + c]
            }
            meanG /= Double(n)
            meanGX /= Double(n)
            let s = Double(cache.rstd[r])
            for c in 0..<n {
                let g = Double(dy.data[r * n + c]) * Double(gamma.value.data[c])
                let h = Double(cache.xhat.data[r * n + c])
                dx.data[r * n + c] = Float(s * (g - meanG - h * meanGX))
            }
        }
        return dx
    }
}
