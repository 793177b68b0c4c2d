import Numerics

/// A trainable tensor and its gradient, the same shape.
///
/// Two parameters are equal when their values are bit-identical; the gradient (scratch state of
/// the last step) is not compared.
public struct Parameter: Sendable, Equatable {
    /// The current value.
    public var value: Matrix
    /// The accumulated gradient of the loss with respect to `value`.
    public var grad: Matrix

    /// A parameter holding `value`, with a zero gradient.
    public init(_ value: Matrix) {
        self.value = value
        self.grad = Matrix(rows: value.rows, cols: value.cols)
    }

    public static func == (lhs: Parameter, rhs: Parameter) -> Bool { lhs.value == rhs.value }
}

/// Anything that owns parameters and can visit them in one fixed order.
///
/// The order is part of the contract: optimizers keep their per-parameter state by position.
public protocol ParameterContainer {
    /// Calls `body` on every parameter, always in the same order.
    mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows
}

extension ParameterContainer {
    /// Sets every gradient to zero.
    public mutating func zeroGradients() {
        visitParameters { $0.grad.zero() }
    }

    /// Total number of scalar parameters.
    public mutating func parameterCount() -> Int {
        var n = 0
        visitParameters { n += $0.value.count }
        return n
    }
}
