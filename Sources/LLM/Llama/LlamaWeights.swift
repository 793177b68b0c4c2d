/// The weights of one transformer block, with GGUF names and shapes (rows, cols).
struct LlamaLayerWeights: Sendable {
    let attentionNorm: [Float]     // (dim,)            blk.N.attn_norm.weight
    let wq: WeightMatrix           // (dim, dim)        blk.N.attn_q.weight
    let wk: WeightMatrix           // (kvDim, dim)      blk.N.attn_k.weight
    let wv: WeightMatrix           // (kvDim, dim)      blk.N.attn_v.weight
    let wo: WeightMatrix           // (dim, dim)        blk.N.attn_output.weight
    let ffnNorm: [Float]           // (dim,)            blk.N.ffn_norm.weight
    let w1: WeightMatrix           // (hidden, dim)     blk.N.ffn_gate.weight
    let w3: WeightMatrix           // (hidden, dim)     blk.N.ffn_up.weight
    let w2: WeightMatrix           // (dim, hidden)     blk.N.ffn_down.weight
}

/// All weights of a Llama model (run.c `TransformerWeights`), bound strictly: every tensor the
/// configuration implies must exist with its exact shape, and no tensor may be left unused.
struct LlamaWeights: Sendable {
    let tokenEmbedding: WeightMatrix   // (vocab, dim)  token_embd.weight
    let layers: [LlamaLayerWeights]
    let finalNorm: [Float]             // (dim,)        output_norm.weight
    let output: WeightMatrix           // (vocab, dim)  output.weight, or the tied token_embd.weight

    init(gguf: GGUFFile, configuration c: LlamaConfiguration, precision: ProductPrecision = .exact) throws {
        var used = Set<String>()
        func matrix(_ name: String, _ rows: Int, _ cols: Int, precision: ProductPrecision = precision) throws -> WeightMatrix {
            used.insert(name)
            return try WeightMatrix(gguf, name, rows: rows, cols: cols, precision: precision)
        }
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            used.insert(name)
            guard let info = gguf.info(name) else { throw GGUFError.missingTensor(name) }
            guard info.dims == [count] else { throw GGUFError.shapeMismatch(name: name, expected: [count], found: info.dims) }
            return try gguf.dequantized(name)
        }
        // the embedding is only looked up, unless it is also the output projection (packed then)
        let tied = gguf.info("output.weight") == nil
        tokenEmbedding = try matrix("token_embd.weight", c.vocabularySize, c.hiddenSize, precision: tied ? precision : .exact)
        layers = try (0..<c.layers).map { l in
            let p = "blk.\(l)."
            return LlamaLayerWeights(
                attentionNorm: try vector(p + "attn_norm.weight", c.hiddenSize),
                wq: try matrix(p + "attn_q.weight", c.hiddenSize, c.hiddenSize),
                wk: try matrix(p + "attn_k.weight", c.kvDim, c.hiddenSize),
                wv: try matrix(p + "attn_v.weight", c.kvDim, c.hiddenSize),
                wo: try matrix(p + "attn_output.weight", c.hiddenSize, c.hiddenSize),
                ffnNorm: try vector(p + "ffn_norm.weight", c.hiddenSize),
                w1: try matrix(p + "ffn_gate.weight", c.intermediateSize, c.hiddenSize),
                w3: try matrix(p + "ffn_up.weight", c.intermediateSize, c.hiddenSize),
                w2: try matrix(p + "ffn_down.weight", c.hiddenSize, c.intermediateSize))
        }
        finalNorm = try vector("output_norm.weight", c.hiddenSize)
        // SmolLM2 ties the output projection to the token embedding (no output.weight)
        output = gguf.info("output.weight") != nil
            ? try matrix("output.weight", c.vocabularySize, c.hiddenSize) : tokenEmbedding
        let unused = gguf.tensorInfos.map(\.name).filter { !used.contains($0) }
        if let name = unused.first { throw GGUFError.invalidValue(key: name, expected: "a tensor of the llama architecture") }
    }

    init(tokenEmbedding: WeightMatrix, layers: [LlamaLayerWeights], finalNorm: [Float], output: WeightMatrix) {
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.output = output
    }
}
