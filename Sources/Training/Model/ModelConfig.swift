/// The shape of a factorized model: a shared MLP base and HYDRA heads on its output.
///
/// Stored as JSON in the safetensors `__metadata__`, so the keys are part of the file format.
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Width of the input feature vector.
    public var inputSize: Int
    /// Widths of the base's layers; empty means the base is the identity.
    public var baseWidths: [Int]
    /// The base's non-linearity after each linear layer.
    public var baseActivation: Activation
    /// Apply layer norm after each base activation.
    public var baseLayerNorm: Bool
    /// Dropout after each base layer (training only).
    public var baseDropout: Float
    /// Dropout before each dense layer of a head (training only).
    public var headDropout: Float

    /// The width the heads see: the last base width, or the input size for an identity base.
    public var hiddenSize: Int { baseWidths.last ?? inputSize }

    /// A configuration. Defaults: GELU base without layer norm, dropout 0.1 in base and heads
    /// (the reference's encoder dropout).
    public init(
        inputSize: Int, baseWidths: [Int] = [], baseActivation: Activation = .gelu,
        baseLayerNorm: Bool = false, baseDropout: Float = 0.1, headDropout: Float = 0.1
    ) {
        self.inputSize = inputSize
        self.baseWidths = baseWidths
        self.baseActivation = baseActivation
        self.baseLayerNorm = baseLayerNorm
        self.baseDropout = baseDropout
        self.headDropout = headDropout
    }
}
