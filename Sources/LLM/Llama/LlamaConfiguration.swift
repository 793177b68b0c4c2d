/// The hyper-parameters of a Llama model, read from GGUF metadata.
///
/// This is the only place that knows the GGUF key names (`llama.block_count`, …).
public struct LlamaConfiguration: Sendable, Equatable {
    /// Width of the residual stream (`llama.embedding_length`).
    public var hiddenSize: Int
    /// Width of the SwiGLU hidden layer (`llama.feed_forward_length`).
    public var intermediateSize: Int
    /// Number of transformer blocks (`llama.block_count`).
    public var layers: Int
    /// Query heads (`llama.attention.head_count`).
    public var heads: Int
    /// Key/value heads, fewer than `heads` for grouped-query attention (`llama.attention.head_count_kv`).
    public var kvHeads: Int
    /// Vocabulary size (`llama.vocab_size`, else the token list's length).
    public var vocabularySize: Int
    /// Training context length (`llama.context_length`).
    public var contextLength: Int
    /// RoPE base frequency (`llama.rope.freq_base`, default 10000).
    public var ropeTheta: Float
    /// Dimensions of each head that RoPE rotates (`llama.rope.dimension_count`, default head size).
    public var ropeDimensions: Int
    /// RMSNorm epsilon (`llama.attention.layer_norm_rms_epsilon`).
    public var rmsNormEps: Float

    /// Size of one attention head.
    public var headSize: Int { hiddenSize / heads }
    /// Width of the key and value projections.
    public var kvDim: Int { kvHeads * headSize }

    /// Builds a configuration directly (tiny test models).
    public init(
        hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int, kvHeads: Int, vocabularySize: Int,
        contextLength: Int = 2048, ropeTheta: Float = 10000, ropeDimensions: Int? = nil, rmsNormEps: Float = 1e-5
    ) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.ropeTheta = ropeTheta
        self.ropeDimensions = ropeDimensions ?? hiddenSize / heads
        self.rmsNormEps = rmsNormEps
    }

    /// Reads the configuration from a GGUF file whose `general.architecture` is `llama`.
    public init(gguf: GGUFFile) throws {
        let arch = try gguf.string("general.architecture")
        guard arch == "llama" else { throw GGUFError.invalidValue(key: "general.architecture", expected: "llama") }
        let vocab = try gguf.metadata["llama.vocab_size"] != nil
            ? gguf.int("llama.vocab_size") : gguf.array("tokenizer.ggml.tokens").count
        self.init(
            hiddenSize: try gguf.int("llama.embedding_length"),
            intermediateSize: try gguf.int("llama.feed_forward_length"),
            layers: try gguf.int("llama.block_count"),
            heads: try gguf.int("llama.attention.head_count"),
            kvHeads: try gguf.metadata["llama.attention.head_count_kv"] != nil
                ? gguf.int("llama.attention.head_count_kv") : gguf.int("llama.attention.head_count"),
            vocabularySize: vocab,
            contextLength: try gguf.int("llama.context_length"),
            ropeTheta: Float(gguf.metadata["llama.rope.freq_base"] != nil ? try gguf.double("llama.rope.freq_base") : 10000),
            ropeDimensions: gguf.metadata["llama.rope.dimension_count"] != nil
                ? try gguf.int("llama.rope.dimension_count") : nil,
            rmsNormEps: Float(try gguf.double("llama.attention.layer_norm_rms_epsilon"))
        )
        try validate()
    }

    /// Rejects sizes that would make the forward pass index out of range.
    func validate() throws {
        func check(_ ok: Bool, _ key: String, _ expected: String) throws {
            if !ok { throw GGUFError.invalidValue(key: key, expected: expected) }
        }
        try check(hiddenSize > 0 && hiddenSize <= 1 << 16, "llama.embedding_length", "in 1...65536")
        try check(intermediateSize > 0 && intermediateSize <= 1 << 18, "llama.feed_forward_length", "in 1...262144")
        try check(layers > 0 && layers <= 512, "llama.block_count", "in 1...512")
        try check(heads > 0 && hiddenSize % heads == 0, "llama.attention.head_count", "a divisor of the embedding length")
        try check(kvHeads > 0 && heads % kvHeads == 0, "llama.attention.head_count_kv", "a divisor of the head count")
        try check(vocabularySize > 0 && vocabularySize <= 1 << 24, "llama.vocab_size", "in 1...16777216")
        try check(contextLength > 0, "llama.context_length", "positive")
        try check(ropeDimensions > 0 && ropeDimensions <= headSize && ropeDimensions % 2 == 0,
                  "llama.rope.dimension_count", "an even number up to the head size")
        // `!(x <= 0)` would let NaN through; `x > 0 && x.isFinite` rejects it
        try check(ropeTheta > 0 && ropeTheta.isFinite, "llama.rope.freq_base", "a positive finite number")
        try check(rmsNormEps > 0 && rmsNormEps.isFinite, "llama.attention.layer_norm_rms_epsilon", "a positive finite number")
    }
}
