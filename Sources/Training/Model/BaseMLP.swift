import Numerics

/// The shared trunk: for each width, linear → activation → (layer norm) → dropout.
/// With no widths it is the identity.
public struct BaseMLP: Sendable, Equatable, ParameterContainer {
    /// The linear layers, one per width.
    public var layers: [Linear]
    /// Layer norms after each activation (empty when disabled).
    public var norms: [LayerNorm]
    /// The non-linearity after each linear layer.
    public let activation: Activation
    /// Dropout after each block.
    public let dropout: Dropout

    /// What the backward pass needs, per block.
    public struct Cache: Sendable {
        var inputs: [Matrix] = []
        var preActivations: [Matrix] = []
        var activations: [Matrix] = []
        var normCaches: [LayerNorm.Cache] = []
        var masks: [[Float]?] = []
    }

    /// A base for `config`, drawing each layer's init from `rng` in layer order.
    public init(config: ModelConfig, rng: inout SplitMix64) {
        var layers: [Linear] = []
        var width = config.inputSize
        for out in config.baseWidths {
            layers.append(Linear(inFeatures: width, outFeatures: out, rng: &rng))
            width = out
        }
        self.layers = layers
        self.norms = config.baseLayerNorm ? config.baseWidths.map { LayerNorm(width: $0) } : []
        self.activation = config.baseActivation
        self.dropout = Dropout(p: config.baseDropout)
    }

    public mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        for i in layers.indices { try layers[i].visitParameters(body) }
        for i in norms.indices { try norms[i].visitParameters(body) }
    }

    /// h (B, hidden) from x (B, input).
    public func forward(_ x: Matrix, training: Bool, rng: inout SplitMix64) -> (output: Matrix, cache: Cache) {
        var cache = Cache()
        var h = x
        for (i, layer) in layers.enumerated() {
            cache.inputs.append(h)
            let z = layer.forward(h)
            var a = activation.forward(z)
            cache.preActivations.append(z)
            cache.activations.append(a)
            if !norms.isEmpty {
                let (y, normCache) = norms[i].forward(a)
                cache.normCaches.append(normCache)
                a = y
            }
            let (d, mask) = dropout.forward(a, training: training, rng: &rng)
            cache.masks.append(mask)
            h = d
        }
        return (h, cache)
    }

    /// h (B, hidden) from x (B, input) in inference mode.
    public func embed(_ x: Matrix) -> Matrix {
        var unused = SplitMix64(seed: 0)
        return forward(x, training: false, rng: &unused).output
    }

    /// Accumulates parameter gradients from dh (B, hidden); returns dx (B, input) when asked.
    public mutating func backward(_ dh: Matrix, cache: Cache, needInputGrad: Bool) -> Matrix? {
        var d = dh
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            d = dropout.backward(d, mask: cache.masks[i])
            if !norms.isEmpty { d = norms[i].backward(d, cache: cache.normCaches[i]) }
            d = activation.backward(input: cache.preActivations[i], output: cache.activations[i], gradOutput: d)
            let needInput = i > 0 || needInputGrad
            guard let dx = layers[i].backward(input: cache.inputs[i], gradOutput: d, needInputGrad: needInput) else {
                return nil
            }
            d = dx
        }
        return d
    }
}
