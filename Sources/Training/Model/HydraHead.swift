import Numerics

/// One user's head: dropout → dense(h→h) → tanh → dropout → dense(h→2), softmax over
/// {not useful, useful} (the reference's classification head).
public struct HydraHead: Sendable, Equatable, ParameterContainer {
    /// The first dense layer, (h, h).
    public var dense: Linear
    /// The output layer, (2, h).
    public var outProj: Linear
    /// Dropout before each dense layer.
    public let dropout: Dropout

    /// What the backward pass needs from the forward pass.
    public struct Cache: Sendable {
        var input: Matrix
        var mask1: [Float]?
        var activation: Matrix
        var mask2: [Float]?
        var droppedActivation: Matrix
    }

    /// A head with PyTorch-default init; draws from `rng` in the order dense W, dense b,
    /// out W, out b.
    public init(hidden: Int, dropout: Float, rng: inout SplitMix64) {
        dense = Linear(inFeatures: hidden, outFeatures: hidden, rng: &rng)
        outProj = Linear(inFeatures: hidden, outFeatures: 2, rng: &rng)
        self.dropout = Dropout(p: dropout)
    }

    /// A head from existing layers.
    public init(dense: Linear, outProj: Linear, dropout: Float) {
        self.dense = dense
        self.outProj = outProj
        self.dropout = Dropout(p: dropout)
    }

    /// Width of the head's input.
    public var hidden: Int { dense.inFeatures }

    public mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        try dense.visitParameters(body)
        try outProj.visitParameters(body)
    }

    /// logits (B, 2) from base features x (B, h).
    ///
    /// PyTorch: `out_proj(drop(tanh(dense(drop(x)))))`.
    public func forward(_ x: Matrix, training: Bool, rng: inout SplitMix64) -> (logits: Matrix, cache: Cache) {
        let (x1, mask1) = dropout.forward(x, training: training, rng: &rng)
        let activation = Activation.tanh.forward(dense.forward(x1))
        let (a2, mask2) = dropout.forward(activation, training: training, rng: &rng)
        let logits = outProj.forward(a2)
        return (logits, Cache(input: x1, mask1: mask1, activation: activation, mask2: mask2, droppedActivation: a2))
    }

    /// logits (B, 2) in inference mode (no dropout).
    public func logits(_ x: Matrix) -> Matrix {
        var unused = SplitMix64(seed: 0)
        return forward(x, training: false, rng: &unused).logits
    }

    /// Accumulates parameter gradients from dlogits (B, 2) (or overwrites them with
    /// `accumulate: false`); returns dx (B, h) when asked.
    public mutating func backward(_ dLogits: Matrix, cache: Cache, needInputGrad: Bool, accumulate: Bool = true) -> Matrix? {
        // output layer, then the second dropout
        guard let dA2 = outProj.backward(input: cache.droppedActivation, gradOutput: dLogits, accumulate: accumulate) else {
            return nil
        }
        let dA = dropout.backward(dA2, mask: cache.mask2)
        // tanh, using its output
        let dZ = Activation.tanh.backward(input: cache.activation, output: cache.activation, gradOutput: dA)
        // first dense layer, then the first dropout
        guard let dX1 = dense.backward(input: cache.input, gradOutput: dZ, needInputGrad: needInputGrad, accumulate: accumulate)
        else { return nil }
        return dropout.backward(dX1, mask: cache.mask1)
    }
}
