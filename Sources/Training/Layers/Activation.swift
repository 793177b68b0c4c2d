import Foundation
import Numerics

/// An element-wise non-linearity with its hand-written derivative.
public enum Activation: String, Codable, Sendable, CaseIterable {
    /// `tanh(x)` (vectorized rational approximation, a few ulp); derivative `1 - tanh²(x)`.
    case tanh
    /// Exact GELU, `0.5 x (1 + erf(x / √2))` (PyTorch `approximate='none'`).
    case gelu
    /// `max(x, 0)`; derivative 1 for x > 0, else 0 (PyTorch's choice at 0).
    case relu

    /// y = f(x), element-wise, same shape as `x`.
    public func forward(_ x: Matrix) -> Matrix {
        var y = x
        if self == .tanh {
            tanhInPlace(&y.data)
            return y
        }
        y.data.withUnsafeMutableBufferPointer { p in
            switch self {
            case .tanh:
                break
            case .gelu:
                for i in 0..<p.count { p[i] = 0.5 * p[i] * (1 + erf(p[i] * Float(0.5).squareRoot())) }
            case .relu:
                for i in 0..<p.count { p[i] = max(p[i], 0) }
            }
        }
        return y
    }

    /// dx = dy ⊙ f'(x), all (B, n). Needs the forward's input `x` and output `y`.
    public func backward(input x: Matrix, output y: Matrix, gradOutput dy: Matrix) -> Matrix {
        var dx = dy
        let invSqrt2 = Float(0.5).squareRoot()
        let invSqrt2Pi = 1 / Float(2 * Double.pi).squareRoot()
        dx.data.withUnsafeMutableBufferPointer { d in
            x.data.withUnsafeBufferPointer { px in
                y.data.withUnsafeBufferPointer { py in
                    switch self {
                    case .tanh:
                        for i in 0..<d.count { d[i] *= 1 - py[i] * py[i] }
                    case .gelu:
                        for i in 0..<d.count {
                            let v = px[i]
                            let cdf = 0.5 * (1 + erf(v * invSqrt2))
                            let pdf = invSqrt2Pi * exp(-0.5 * v * v)
                            d[i] *= cdf + v * pdf
                        }
                    case .relu:
                        for i in 0..<d.count where px[i] <= 0 { d[i] = 0 }
                    }
                }
            }
        }
        return dx
    }
}
