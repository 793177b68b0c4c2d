import Foundation
import Numerics

/// Updates parameters from their gradients. State (momenta) is kept per parameter position in the
/// container's visiting order, so one optimizer instance serves one container.
public protocol Optimizer: Sendable {
    /// The learning rate the next step uses (schedules set it before each step).
    var learningRate: Float { get set }
    /// Applies one update to every parameter of `model` from its current gradient.
    mutating func step<M: ParameterContainer>(_ model: inout M)
}

/// SGD with momentum, PyTorch `torch.optim.SGD` semantics.
///
/// g ← g + wd·p; buf ← g on the first step, else momentum·buf + (1 - dampening)·g;
/// g ← g + momentum·buf with Nesterov, else buf; p ← p - lr·g.
public struct SGD: Optimizer {
    public var learningRate: Float
    /// Momentum factor (0 disables the buffer).
    public var momentum: Float
    /// Dampening of the gradient in the momentum buffer.
    public var dampening: Float
    /// L2 penalty added to the gradient.
    public var weightDecay: Float
    /// Use Nesterov momentum.
    public var nesterov: Bool
    private var buffers: [[Float]] = []

    /// An SGD optimizer; PyTorch defaults except the learning rate, which is required there too.
    public init(learningRate: Float, momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public mutating func step<M: ParameterContainer>(_ model: inout M) {
        var index = 0
        let firstStep = buffers.isEmpty
        let (lr, mu, damp, wd, nesterov) = (learningRate, momentum, dampening, weightDecay, nesterov)
        model.visitParameters { param in
            if firstStep { buffers.append(mu != 0 ? [Float](repeating: 0, count: param.value.count) : []) }
            let n = param.value.count
            buffers[index].withUnsafeMutableBufferPointer { buf in
                param.grad.data.withUnsafeBufferPointer { g in
                    param.value.data.withUnsafeMutableBufferPointer { p in
                        for i in 0..<n {
                            var d = g[i] + wd * p[i]
                            if mu != 0 {
                                buf[i] = firstStep ? d : mu * buf[i] + (1 - damp) * d
                                d = nesterov ? d + mu * buf[i] : buf[i]
                            }
                            p[i] -= lr * d
                        }
                    }
                }
            }
            index += 1
        }
    }
}

/// Adam and AdamW, PyTorch `torch.optim.Adam` / `AdamW` (single-tensor path) semantics.
///
/// Per step t (from 1): with L2 (`Adam`) g ← g + wd·p, or decoupled (`AdamW`) p ← p·(1 - lr·wd);
/// m ← m + (1-β1)(g - m); v ← β2·v + (1-β2)·g²;
/// p ← p - lr/(1-β1ᵗ) · m / (√v / √(1-β2ᵗ) + ε)   (ε added after bias-correcting √v).
public struct Adam: Optimizer {
    public var learningRate: Float
    /// Decay rate of the first moment.
    public let beta1: Float
    /// Decay rate of the second moment.
    public let beta2: Float
    /// Added to the denominator.
    public let eps: Float
    /// Weight decay: an L2 gradient term for Adam, decoupled shrinkage for AdamW.
    public let weightDecay: Float
    /// True for AdamW's decoupled weight decay.
    public let decoupled: Bool
    /// Threads that share the update of each large parameter (elementwise, so the result does
    /// not depend on it); 1 when the caller already runs one fit per core.
    public var threads = 1
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var m: [[Float]] = []
    private var v: [[Float]] = []

    /// Adam with PyTorch's defaults (`betas=(0.9, 0.999), eps=1e-8, weight_decay=0`).
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    private init(learningRate: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, decoupled: Bool) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// AdamW with PyTorch's defaults (`weight_decay=0.01`).
    public static func adamW(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: true)
    }

    public mutating func step<M: ParameterContainer>(_ model: inout M) {
        stepCount += 1
        let t = stepCount
        let constants = AdamConstants(
            beta1: beta1, beta2: beta2, eps: eps,
            stepSize: Float(Double(learningRate) / (1 - power(Double(beta1), t))),
            bc2Sqrt: Float((1 - power(Double(beta2), t)).squareRoot()),
            l2: decoupled ? 0 : weightDecay,
            shrink: decoupled ? 1 - learningRate * weightDecay : 1)
        let threads = self.threads
        let firstStep = m.isEmpty
        var index = 0
        model.visitParameters { param in
            let n = param.value.count
            if firstStep {
                m.append([Float](repeating: 0, count: n))
                v.append([Float](repeating: 0, count: n))
            }
            m[index].withUnsafeMutableBufferPointer { pm in
                v[index].withUnsafeMutableBufferPointer { pv in
                    param.grad.data.withUnsafeBufferPointer { pg in
                        param.value.data.withUnsafeMutableBufferPointer { pp in
                            AdamBuffers(p: pp, g: pg, m: pm, v: pv).update(constants, threads: threads)
                        }
                    }
                }
            }
            index += 1
        }
    }
}

/// The scalars of one Adam step.
private struct AdamConstants: Sendable {
    let beta1: Float
    let beta2: Float
    let eps: Float
    let stepSize: Float
    let bc2Sqrt: Float
    let l2: Float
    let shrink: Float
}

/// The four buffers of one parameter's Adam update, handed to the threads that share it (each
/// thread writes a disjoint range).
private struct AdamBuffers: @unchecked Sendable {
    let p: UnsafeMutableBufferPointer<Float>
    let g: UnsafeBufferPointer<Float>
    let m: UnsafeMutableBufferPointer<Float>
    let v: UnsafeMutableBufferPointer<Float>

    /// Runs `adamUpdate` over every element, split into `threads` ranges (multiples of 8) when
    /// the parameter is large enough to be worth it.
    func update(_ c: AdamConstants, threads: Int) {
        let n = p.count
        guard n > 0 else { return }
        let minimumToSplit = 65_536
        let chunks = threads > 1 && n >= minimumToSplit ? threads : 1
        let chunk = ((n + chunks - 1) / chunks + 7) / 8 * 8
        let run: @Sendable (Int) -> Void = { k in
            let start = k * chunk
            let count = min(n, start + chunk) - start
            guard count > 0, let pp = self.p.baseAddress, let gp = self.g.baseAddress,
                let mp = self.m.baseAddress, let vp = self.v.baseAddress
            else { return }
            adamUpdate(
                count: count, parameters: pp + start, gradients: gp + start,
                firstMoment: mp + start, secondMoment: vp + start,
                beta1: c.beta1, beta2: c.beta2, eps: c.eps, stepSize: c.stepSize, bc2Sqrt: c.bc2Sqrt,
                l2: c.l2, shrink: c.shrink)
        }
        if chunks == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: run)
        }
    }
}

/// `base` to a non-negative integer power, for the bias corrections.
private func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var k = exponent
    var b = base
    while k > 0 {
        if k & 1 == 1 { result *= b }
        b *= b
        k >>= 1
    }
    return result
}
