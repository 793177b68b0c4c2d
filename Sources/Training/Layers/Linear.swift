import Numerics

/// A fully connected layer, `y = x Wᵀ + b` (PyTorch `nn.Linear`).
public struct Linear: Sendable, Equatable, ParameterContainer {
    /// Weight, (out, in).
    public var weight: Parameter
    /// Bias, (1, out).
    public var bias: Parameter

    /// Input width.
    public var inFeatures: Int { weight.value.cols }
    /// Output width.
    public var outFeatures: Int { weight.value.rows }

    /// A layer with PyTorch's default init: `kaiming_uniform_(a=√5)` for the weight, which is
    /// U(-1/√in, 1/√in), and the same range for the bias.
    ///
    /// Draws come from `rng` in order: the weight row-major `[out][in]`, then the bias, each
    /// value `(2 u - 1) * bound` (the convention of the reference scripts).
    public init(inFeatures: Int, outFeatures: Int, rng: inout SplitMix64) {
        let bound = 1 / Double(max(inFeatures, 1)).squareRoot()
        var w = Matrix(rows: outFeatures, cols: inFeatures)
        for i in 0..<w.count { w.data[i] = Float(rng.symmetric(bound)) }
        var b = Matrix(rows: 1, cols: outFeatures)
        for i in 0..<b.count { b.data[i] = Float(rng.symmetric(bound)) }
        weight = Parameter(w)
        bias = Parameter(b)
    }

    /// A layer with the given weight (out, in) and bias (1, out).
    public init(weight: Matrix, bias: Matrix) {
        precondition(bias.rows == 1 && bias.cols == weight.rows, "bias must be (1, \(weight.rows))")
        self.weight = Parameter(weight)
        self.bias = Parameter(bias)
    }

    public mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        try body(&weight)
        try body(&bias)
    }

    /// y (B, out) = x (B, in) @ Wᵀ (in, out) + b.
    public func forward(_ x: Matrix) -> Matrix {
        var y = Matrix(rows: x.rows, cols: outFeatures)
        gemm(x, .none, weight.value, .transposed, into: &y)
        addRowVector(bias.value.data, to: &y)
        return y
    }

    /// Accumulates (or, with `accumulate: false`, overwrites) the parameter gradients and returns
    /// the input gradient.
    ///
    /// dW (out, in) += dyᵀ (out, B) @ x (B, in); db (out) += Σ_rows dy; dx (B, in) = dy (B, out) @ W.
    /// - Parameters:
    ///   - x: the input the forward pass saw, (B, in).
    ///   - dy: gradient of the loss with respect to the output, (B, out).
    ///   - needInputGrad: skip the `dx` product when the input is frozen data.
    ///   - accumulate: add into the gradients (PyTorch semantics) or overwrite them, which saves
    ///     zeroing them first when a step has a single backward pass.
    /// - Returns: dx, or nil when `needInputGrad` is false.
    public mutating func backward(
        input x: Matrix, gradOutput dy: Matrix, needInputGrad: Bool = true, accumulate: Bool = true
    ) -> Matrix? {
        gemm(dy, .transposed, x, .none, into: &weight.grad, beta: accumulate ? 1 : 0)
        if !accumulate { bias.grad.zero() }
        addColumnSums(of: dy, to: &bias.grad.data)
        guard needInputGrad else { return nil }
        var dx = Matrix(rows: dy.rows, cols: inFeatures)
        gemm(dy, .none, weight.value, .none, into: &dx)
        return dx
    }
}
