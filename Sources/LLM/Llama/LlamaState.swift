import CKernels

/// Activation buffers for up to `maxRows` rows processed together (run.c `RunState` without the
/// KV cache, which lives in `KVCache`). Allocated once; `forward` allocates nothing large.
///
/// Not thread-safe: each concurrent user of a `LlamaModel` needs its own state.
public final class LlamaState {
    /// Rows (tokens) one forward call processes at most.
    public let maxRows: Int
    /// Positions one sequence may attend over.
    public let maxContext: Int
    /// Rows of logits computed per output-projection call.
    static let logitRows = 16

    let x: UnsafeMutablePointer<Float>       // (maxRows, dim) residual stream
    let xb: UnsafeMutablePointer<Float>      // (maxRows, dim) normed input / attention output
    let xb2: UnsafeMutablePointer<Float>     // (maxRows, dim) projection output
    let q: UnsafeMutablePointer<Float>       // (maxRows, dim)
    let k: UnsafeMutablePointer<Float>       // (maxRows, kvDim)
    let v: UnsafeMutablePointer<Float>       // (maxRows, kvDim)
    let hb: UnsafeMutablePointer<Float>      // (maxRows, hidden) gate
    let hb2: UnsafeMutablePointer<Float>     // (maxRows, hidden) up
    let scores: UnsafeMutablePointer<Float>  // (2 kvMul, maxContext) decoding rows' attention weights
    /// Prompt rows one tiled-attention block holds (times the query heads of a key/value head).
    static let attentionBlockRows = 32
    /// Floats of `attentionScratch` per block.
    let attentionUnitFloats: Int
    let attentionScratch: UnsafeMutablePointer<Float>  // one block's tiles per (row block, kv head)
    let packedQueries: UnsafeMutablePointer<Float>     // (maxRows, dim) decoding rows that share a prefix
    let packedOutput: UnsafeMutablePointer<Float>      // (maxRows, dim) their attention over it
    let packedLSE: UnsafeMutablePointer<Float>         // (kvHeads, maxRows, kvMul) its log-sum-exps
    let ownOutput: UnsafeMutablePointer<Float>         // (2, kvMul * headSize + kvMul) a row over its own cache
    let cosine: UnsafeMutablePointer<Float>  // (maxRows, ropeDims / 2)
    let sine: UnsafeMutablePointer<Float>    // (maxRows, ropeDims / 2)
    let logits: UnsafeMutablePointer<Float>  // (logitRows, vocab)
    let scratch: ProductScratch              // what the weight products need besides x and y
    /// Seconds of the forward passes run with this state, by phase (read from any thread).
    public let timings = ForwardTimings()
    private var all: [UnsafeMutablePointer<Float>] = []

    /// Buffers for `configuration`, processing up to `maxRows` rows over `maxContext` positions.
    public init(configuration c: LlamaConfiguration, maxRows: Int = 256, maxContext: Int = 2048) {
        precondition(maxRows > 0 && maxContext > 0)
        self.maxRows = maxRows
        self.maxContext = maxContext
        var all: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            all.append(p)
            return p
        }
        let dim = c.hiddenSize
        x = buffer(maxRows * dim)
        xb = buffer(maxRows * dim)
        xb2 = buffer(maxRows * dim)
        q = buffer(maxRows * dim)
        k = buffer(maxRows * c.kvDim)
        v = buffer(maxRows * c.kvDim)
        hb = buffer(maxRows * c.intermediateSize)
        hb2 = buffer(maxRows * c.intermediateSize)
        scores = buffer(2 * c.heads / c.kvHeads * maxContext)
        attentionUnitFloats = ck_attention_block_scratch(Int32(Self.attentionBlockRows), Int32(c.heads / c.kvHeads),
                                                         Int32(c.headSize))
        let rowBlocks = (maxRows + Self.attentionBlockRows - 1) / Self.attentionBlockRows
        attentionScratch = buffer(max(2, rowBlocks * c.kvHeads) * attentionUnitFloats)
        packedQueries = buffer(maxRows * dim)
        packedOutput = buffer(maxRows * dim)
        packedLSE = buffer(maxRows * c.heads)
        ownOutput = buffer(2 * (c.heads / c.kvHeads) * (c.headSize + 1))
        cosine = buffer(maxRows * c.ropeDimensions / 2)
        sine = buffer(maxRows * c.ropeDimensions / 2)
        logits = buffer(Self.logitRows * c.vocabularySize)
        scratch = ProductScratch(rows: max(maxRows, Self.logitRows), cols: max(c.hiddenSize, c.intermediateSize))
        self.all = all
    }

    deinit { for p in all { p.deallocate() } }
}

/// The buffers of the weight products, made on first use because each precision needs its own:
/// a block of dequantized weight rows for sgemm (exact), or the quantized input rows (int8).
final class ProductScratch {
    /// Input rows and columns the products may be given.
    let rows: Int
    let cols: Int
    private var dequantizedBlock: UnsafeMutablePointer<Float>?
    private var quantizedRows: QuantizedRows?

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }

    deinit { dequantizedBlock?.deallocate() }

    /// `WeightMatrix.gemmBlockRows * cols` floats.
    var dequantized: UnsafeMutablePointer<Float> {
        if let block = dequantizedBlock { return block }
        let block = UnsafeMutablePointer<Float>.allocate(capacity: WeightMatrix.gemmBlockRows * cols)
        dequantizedBlock = block
        return block
    }

    /// Room for `rows` quantized rows of `cols` columns.
    var quantized: QuantizedRows {
        if let buffers = quantizedRows { return buffers }
        let buffers = QuantizedRows(rows: rows, cols: cols)
        quantizedRows = buffers
        return buffers
    }
}
