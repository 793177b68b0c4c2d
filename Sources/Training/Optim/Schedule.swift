import Numerics

/// Clips the global L2 norm of all gradients in `model` to `maxNorm`
/// (PyTorch `clip_grad_norm_`: scale by `maxNorm / (norm + 1e-6)` when that is below 1).
/// - Returns: the total gradient norm before clipping.
@discardableResult
public func clipGradientNorm<M: ParameterContainer>(_ model: inout M, maxNorm: Float) -> Float {
    var total = 0.0
    model.visitParameters { total += sumOfSquares($0.grad.data) }
    let norm = Float(total.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        model.visitParameters { scale(&$0.grad.data, by: coefficient) }
    }
    return norm
}

/// A learning-rate multiplier: linear warm-up from 0 over `warmupSteps`, then constant or a linear
/// decay to 0 at `totalSteps` (Hugging Face `get_linear_schedule_with_warmup`).
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// Steps of linear warm-up (0 = none).
    public var warmupSteps: Int
    /// Total number of steps, where a decaying schedule reaches 0.
    public var totalSteps: Int
    /// Decay linearly after warm-up (else keep the base rate).
    public var linearDecay: Bool

    /// A schedule; the default is a constant rate.
    public init(warmupSteps: Int = 0, totalSteps: Int = 0, linearDecay: Bool = false) {
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.linearDecay = linearDecay
    }

    /// The multiplier of the base rate for step `step` (0-based, the step about to be taken).
    public func multiplier(step: Int) -> Float {
        if step < warmupSteps { return Float(step + 1) / Float(warmupSteps) }
        guard linearDecay, totalSteps > warmupSteps else { return 1 }
        return max(0, Float(totalSteps - step) / Float(totalSteps - warmupSteps))
    }
}

/// Σ g² over every gradient of `model`, in Double (for a global norm over several containers).
public func squaredGradientNorm<M: ParameterContainer>(_ model: inout M) -> Double {
    var total = 0.0
    model.visitParameters { total += sumOfSquares($0.grad.data) }
    return total
}

/// Multiplies every gradient of `model` by `factor`.
public func scaleGradients<M: ParameterContainer>(_ model: inout M, by factor: Float) {
    model.visitParameters { scale(&$0.grad.data, by: factor) }
}
