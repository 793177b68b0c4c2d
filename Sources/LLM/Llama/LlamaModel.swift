import CKernels
import Foundation

// The Llama forward pass, written after karpathy/llama2.c run.c `forward`, extended to process
// several rows (tokens) per call: the rows of one prompt chunk, or one row per sample stream.

/// A Llama model read from GGUF: configuration plus weights in the memory-mapped file.
public final class LlamaModel: Sendable {
    /// Hyper-parameters from the GGUF metadata.
    public let configuration: LlamaConfiguration
    let weights: LlamaWeights
    /// RoPE inverse frequencies `theta^(-2i / ropeDims)`, one per rotated pair.
    let ropeFrequencies: [Double]
    /// Keeps the mapped file alive while weights point into it.
    let file: GGUFFile?
    /// How the weight products are computed.
    public let precision: ProductPrecision

    /// Binds the weights of a `llama` GGUF file; `.int8` repacks the quantized ones (once, here).
    public init(gguf: GGUFFile, precision: ProductPrecision = .exact) throws {
        configuration = try LlamaConfiguration(gguf: gguf)
        weights = try LlamaWeights(gguf: gguf, configuration: configuration, precision: precision)
        ropeFrequencies = Self.frequencies(configuration)
        file = gguf
        self.precision = precision
    }

    init(configuration: LlamaConfiguration, weights: LlamaWeights) {
        self.configuration = configuration
        self.weights = weights
        ropeFrequencies = Self.frequencies(configuration)
        file = nil
        precision = weights.output.packed == nil ? .exact : .int8
    }

    private static func frequencies(_ c: LlamaConfiguration) -> [Double] {
        stride(from: 0, to: c.ropeDimensions, by: 2).map { i in
            1 / pow(Double(c.ropeTheta), Double(i) / Double(c.ropeDimensions))
        }
    }

    /// Activation buffers sized for this model.
    public func makeState(maxRows: Int = 256, maxContext: Int = 2048) -> LlamaState {
        LlamaState(configuration: configuration, maxRows: maxRows, maxContext: maxContext)
    }

    /// An empty KV cache with room for `capacity` positions (it grows as needed).
    public func makeCache(capacity: Int) -> KVCache { KVCache(configuration: configuration, capacity: capacity) }

    // MARK: - Forward

    /// Runs one forward pass over `tokens`, row r belonging to stream `streams[r]` (an index into
    /// `caches`) at that stream's next position; appends every row's key and value to its cache.
    /// - Parameters:
    ///   - tokens: At most `state.maxRows` token ids. Rows of one stream must be in order.
    ///   - streams: The cache index of each row.
    ///   - caches: One cache per stream; each grows by its number of rows.
    ///   - prefix: A prompt cache all streams continue from (shared, read, never copied): stream
    ///     positions then start at `prefix.count`, and each stream's cache holds only its own rows.
    ///   - logitRows: The rows whose next-token logits are returned.
    /// - Returns: One vocabulary-sized logit vector per entry of `logitRows`.
    public func forward(tokens: [Int], streams: [Int], caches: inout [KVCache], prefix: KVCache? = nil,
                        state s: LlamaState, logitRows: [Int]) throws -> [[Float]] {
        try forward(tokens: tokens, streams: streams, caches: &caches,
                    prefixes: Array(repeating: prefix, count: caches.count), state: s, logitRows: logitRows)
    }

    /// `forward` where each stream continues its own read-only prefix: `prefixes[i]` (nil for none)
    /// precedes `caches[i]`, so streams of different prompts run in one pass (continuous batching),
    /// each prompt's cache shared by that prompt's sample streams.
    public func forward(tokens: [Int], streams: [Int], caches: inout [KVCache], prefixes: [KVCache?],
                        state s: LlamaState, logitRows: [Int]) throws -> [[Float]] {
        var result: [[Float]] = []
        try forward(tokens: tokens, streams: streams, caches: &caches, prefixes: prefixes, state: s,
                    logitRows: logitRows) { _, logits in result.append(Array(logits)) }
        return result
    }

    /// `forward` handing each logit row to `onLogits(i, logits)` (i indexes `logitRows`) while it
    /// is in the state's buffer, instead of copying every row out: a batch scoring hundreds of
    /// answer tokens needs one number per row, not 200 KB.
    public func forward(tokens: [Int], streams: [Int], caches: inout [KVCache], prefixes: [KVCache?],
                        state s: LlamaState, logitRows: [Int],
                        onLogits: (Int, UnsafeBufferPointer<Float>) -> Void) throws {
        let c = configuration
        let n = tokens.count
        let (dim, kvDim, hidden, vocab) = (c.hiddenSize, c.kvDim, c.intermediateSize, c.vocabularySize)
        precondition(n <= s.maxRows && streams.count == n, "rows exceed the state or lack a stream")
        precondition(streams.allSatisfy { caches.indices.contains($0) }, "a row names a missing stream")
        precondition(logitRows.allSatisfy { (0..<n).contains($0) }, "a logit row is not a row of this call")
        precondition(prefixes.count == caches.count, "one prefix (or nil) per stream")
        // slot: the row's index in its stream's cache; position: after the stream's prefix
        let shared = prefixes.map { $0?.count ?? 0 }
        var slots = [Int](repeating: 0, count: n)
        var next = caches.map(\.count)
        for r in 0..<n {
            slots[r] = next[streams[r]]
            next[streams[r]] += 1
            guard (0..<vocab).contains(tokens[r]) else { throw LLMError.invalidToken(id: tokens[r], vocabularySize: vocab) }
        }
        let positions = (0..<n).map { shared[streams[$0]] + slots[$0] }
        for i in caches.indices {
            guard shared[i] + next[i] <= s.maxContext else {
                throw LLMError.contextFull(needed: shared[i] + next[i], capacity: s.maxContext)
            }
            caches[i].reserve(next[i])
        }

        // token embedding, and the RoPE rotation of each row's position
        let pairs = ropeFrequencies.count
        for r in 0..<n {
            weights.tokenEmbedding.row(tokens[r], into: s.x + r * dim)
            for i in 0..<pairs {
                let angle = Double(positions[r]) * ropeFrequencies[i]
                s.cosine[r * pairs + i] = Float(cos(angle))
                s.sine[r * pairs + i] = Float(sin(angle))
            }
        }

        // runs of consecutive rows of one stream, found once for every layer
        var runs: [Range<Int>] = []
        var r0 = 0
        while r0 < n {
            var r1 = r0 + 1
            while r1 < n && streams[r1] == streams[r0] && slots[r1] == slots[r1 - 1] + 1 { r1 += 1 }
            runs.append(r0..<r1)
            r0 = r1
        }

        // single rows of decoding streams (they read their prompt as a prefix); a prompt's rows
        // always go through the tiled kernel, even a chunk of one row, so that a row's arithmetic
        // does not depend on how the prompt was cut into chunks
        let decodingRow = { (run: Range<Int>) in run.count == 1 && prefixes[streams[run.lowerBound]] != nil }
        let (decodingAlone, decodingSharing) = groupDecodingRows(
            runs.filter(decodingRow).map(\.lowerBound), streams: streams, prefixes: prefixes)

        var attentionSeconds = 0.0
        defer { s.timings.addAttention(attentionSeconds) }
        for (l, w) in weights.layers.enumerated() {
            // attention rmsnorm
            for r in 0..<n { rmsnorm(s.xb + r * dim, s.x + r * dim, w.attentionNorm, dim, c.rmsNormEps) }

            // qkv matmuls for these rows
            WeightMatrix.apply([(w.wq, s.q), (w.wk, s.k), (w.wv, s.v)], s.xb, n: n, scratch: s.scratch)

            // RoPE: rotate each adjacent pair (GGUF's "normal" layout) of every q and k head
            for r in 0..<n {
                rope(s.q + r * dim, heads: c.heads, s.cosine + r * pairs, s.sine + r * pairs)
                rope(s.k + r * kvDim, heads: c.kvHeads, s.cosine + r * pairs, s.sine + r * pairs)
            }

            // key and value of each row into its stream's cache
            for r in 0..<n {
                let at = caches[streams[r]].offset(layer: l, position: slots[r])
                caches[streams[r]].keys.withUnsafeMutableBufferPointer { (k: inout UnsafeMutableBufferPointer<Float>) in
                    (k.baseAddress! + at).update(from: s.k + r * kvDim, count: kvDim)
                }
                caches[streams[r]].values.withUnsafeMutableBufferPointer { (v: inout UnsafeMutableBufferPointer<Float>) in
                    (v.baseAddress! + at).update(from: s.v + r * kvDim, count: kvDim)
                }
            }

            // multihead attention over each stream's prefix and cache, into xb: prompt chunks and
            // runs of several consecutive rows of one stream (choice answers) in the tiled kernel;
            // single rows of decoding streams as grouped above
            let attentionStart = ForwardTimings.now()
            if !decodingAlone.isEmpty {
                attentionAlone(layer: l, rows: decodingAlone, slots: slots, streams: streams, caches: caches,
                               prefixes: prefixes, state: s)
            }
            if !decodingSharing.isEmpty {
                attentionSharing(layer: l, groups: decodingSharing, slots: slots, streams: streams, caches: caches,
                                 prefixes: prefixes, state: s)
            }
            for run in runs where !decodingRow(run) {
                let stream = streams[run.lowerBound]
                attention(layer: l, rows: run, firstSlot: slots[run.lowerBound], cache: caches[stream],
                          prefix: prefixes[stream], state: s)
            }
            attentionSeconds += ForwardTimings.now() - attentionStart

            // output projection and residual connection
            w.wo.apply(s.xb, n: n, into: s.xb2, ldy: dim, scratch: s.scratch)
            for i in 0..<(n * dim) { s.x[i] += s.xb2[i] }

            // ffn rmsnorm
            for r in 0..<n { rmsnorm(s.xb + r * dim, s.x + r * dim, w.ffnNorm, dim, c.rmsNormEps) }

            // SwiGLU feed-forward: self.w2(F.silu(self.w1(x)) * self.w3(x))
            WeightMatrix.apply([(w.w1, s.hb), (w.w3, s.hb2)], s.xb, n: n, scratch: s.scratch)
            ck_swiglu(s.hb, s.hb2, Int32(n * hidden))
            w.w2.apply(s.hb, n: n, into: s.xb, ldy: dim, scratch: s.scratch)

            // residual connection
            for i in 0..<(n * dim) { s.x[i] += s.xb[i] }
        }
        for r in 0..<n { caches[streams[r]].count = max(caches[streams[r]].count, slots[r] + 1) }

        // final rmsnorm and the classifier into logits, for the requested rows only
        var start = 0
        while start < logitRows.count {
            let batch = Array(logitRows[start..<min(logitRows.count, start + LlamaState.logitRows)])
            for (i, r) in batch.enumerated() { rmsnorm(s.xb + i * dim, s.x + r * dim, weights.finalNorm, dim, c.rmsNormEps) }
            weights.output.apply(s.xb, n: batch.count, into: s.logits, ldy: vocab, scratch: s.scratch)
            for i in batch.indices { onLogits(start + i, UnsafeBufferPointer(start: s.logits + i * vocab, count: vocab)) }
            start += batch.count
        }
    }

    /// Causal attention of rows `rows` (consecutive slots from `firstSlot` in `cache`, after the
    /// shared `prefix`) over the prefix and the cache, writing each head's output into `state.xb`.
    /// Blocks of `LlamaState.attentionBlockRows` rows × one key/value head (with its query heads)
    /// go to the tiled kernel, the blocks shared out between both cores.
    private func attention(layer l: Int, rows: Range<Int>, firstSlot: Int, cache: KVCache, prefix: KVCache?,
                           state s: LlamaState) {
        let c = configuration
        let (dim, kvDim, hs) = (c.hiddenSize, c.kvDim, c.headSize)
        let kvMul = c.heads / c.kvHeads
        let (m, shared) = (rows.count, prefix?.count ?? 0)
        let own = firstSlot + m
        let scale = 1 / Float(hs).squareRoot()
        let blockRows = LlamaState.attentionBlockRows
        let rowBlocks = (m + blockRows - 1) / blockRows
        // the causal half of rows × positions × heads × (scores and values)
        let work = m * (shared + firstSlot + m / 2) * c.heads * hs * 2
        cache.withLayer(l) { k2, v2 in
            (prefix ?? cache).withLayer(l) { k1, v1 in
                let run = { (unit: Int) in
                    let (g, block) = (unit % c.kvHeads, unit / c.kvHeads)
                    let r0 = block * blockRows
                    let count = min(blockRows, m - r0)
                    let offset = (rows.lowerBound + r0) * dim + g * kvMul * hs
                    let status = ck_attention_block(
                        s.q + offset, Int32(count), Int32(kvMul), Int32(hs), Int32(dim),
                        k1 + g * hs, v1 + g * hs, Int32(shared), k2 + g * hs, v2 + g * hs, Int32(own), Int32(kvDim),
                        Int32(shared + firstSlot + r0 + 1), scale, s.attentionScratch + unit * s.attentionUnitFloats,
                        s.xb + offset, Int32(dim))
                    precondition(status == 0, "attention block arguments out of range")
                }
                let units = rowBlocks * c.kvHeads
                if work >= WeightMatrix.parallelWork && units > 1 {
                    WeightMatrix.inChunks(units, run)
                } else {
                    for unit in 0..<units { run(unit) }
                }
            }
        }
    }

    /// Single rows (one per decoding stream) split by how they attend: streams that share one
    /// prefix (the N samples of a prompt) read it together — their queries over the prefix in
    /// tiled blocks, so each key and value is read once for all of them rather than once per
    /// stream (for a 1,000-token prompt, 46 MB a step per stream), then each over its own
    /// positions, merged by the softmax sums; other rows attend alone in the SIMD kernel.
    private func groupDecodingRows(_ rows: [Int], streams: [Int], prefixes: [KVCache?])
        -> (alone: [Int], sharing: [[Int]]) {
        var alone: [Int] = []
        var sharing: [[Int]] = []
        var groupOf: [UInt: Int] = [:]
        for r in rows {
            guard let prefix = prefixes[streams[r]], prefix.count >= Self.sharedPrefixMinimum else {
                alone.append(r)
                continue
            }
            // streams forked from one prompt hold copies of its cache that share one buffer
            let identity = prefix.keys.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            if let g = groupOf[identity] {
                sharing[g].append(r)
            } else {
                groupOf[identity] = sharing.count
                sharing.append([r])
            }
        }
        alone += sharing.filter { $0.count == 1 }.map { $0[0] }
        return (alone, sharing.filter { $0.count > 1 })
    }

    /// Prefix positions below which streams attend alone (reading a short prefix per stream costs
    /// less than packing and merging).
    static let sharedPrefixMinimum = 32

    /// Each (row, kv head) pair over the row's prefix and cache in the SIMD kernel.
    private func attentionAlone(layer l: Int, rows: [Int], slots: [Int], streams: [Int], caches: [KVCache],
                                prefixes: [KVCache?], state s: LlamaState) {
        let c = configuration
        let (dim, kvDim, hs) = (c.hiddenSize, c.kvDim, c.headSize)
        let kvMul = c.heads / c.kvHeads
        let scale = 1 / Float(hs).squareRoot()
        let tasks = rows.flatMap { r in (0..<c.kvHeads).map { g in (r, g) } }
        let half = (tasks.count + 1) / 2
        let work = rows.reduce(0) { $0 + ((prefixes[streams[$1]]?.count ?? 0) + slots[$1] + 1) } * c.heads * hs * 2
        WeightMatrix.onBothCores(split: work >= WeightMatrix.parallelWork) { core in
            let scores = s.scores + core * kvMul * s.maxContext
            for (r, g) in tasks[(core == 0 ? 0..<half : half..<tasks.count)] {
                let cache = caches[streams[r]]
                let prefix = prefixes[streams[r]]
                let shared = prefix?.count ?? 0
                cache.withLayer(l) { k2, v2 in
                    (prefix ?? cache).withLayer(l) { k1, v1 in
                        ck_attention_row(s.q + r * dim + g * kvMul * hs, Int32(kvMul), Int32(hs), Int32(kvDim),
                                         k1 + g * hs, v1 + g * hs, Int32(shared), k2 + g * hs, v2 + g * hs,
                                         Int32(slots[r] + 1), scale, scores, s.xb + r * dim + g * kvMul * hs)
                    }
                }
            }
        }
    }

    /// Groups of rows whose streams share a prefix: the group's queries over the prefix in blocks
    /// of up to `LlamaState.attentionBlockRows` rows, then each row over its own cache, merged.
    private func attentionSharing(layer l: Int, groups: [[Int]], slots: [Int], streams: [Int], caches: [KVCache],
                                  prefixes: [KVCache?], state s: LlamaState) {
        let c = configuration
        let (dim, kvDim, hs) = (c.hiddenSize, c.kvDim, c.headSize)
        let kvMul = c.heads / c.kvHeads
        let scale = 1 / Float(hs).squareRoot()
        // the group's rows packed one after another (packed index j), so a block's queries are evenly spaced
        let packed = groups.flatMap { $0 }
        for (j, r) in packed.enumerated() { s.packedQueries.advanced(by: j * dim).update(from: s.q + r * dim, count: dim) }
        var blocks: [(first: Int, count: Int, stream: Int)] = []
        var start = 0
        for group in groups {
            for r0 in stride(from: 0, to: group.count, by: LlamaState.attentionBlockRows) {
                blocks.append((start + r0, min(LlamaState.attentionBlockRows, group.count - r0), streams[group[0]]))
            }
            start += group.count
        }
        // log-sum-exps: plane g holds kv head g's, kvMul per packed row
        let lse = { (g: Int, j: Int) in s.packedLSE + (g * s.maxRows + j) * kvMul }
        let prefixUnits = blocks.flatMap { block in (0..<c.kvHeads).map { g in (block, g) } }
        let ownUnits = packed.indices.flatMap { j in (0..<c.kvHeads).map { g in (j, g) } }
        WeightMatrix.onBothCores { lane in
            let scratch = s.attentionScratch + lane * s.attentionUnitFloats
            for u in stride(from: lane, to: prefixUnits.count, by: 2) {
                let (block, g) = prefixUnits[u]
                let prefix = prefixes[block.stream]!
                prefix.withLayer(l) { k, v in
                    let offset = block.first * dim + g * kvMul * hs
                    let status = ck_attention_segment(
                        s.packedQueries + offset, Int32(block.count), Int32(kvMul), Int32(hs), Int32(dim),
                        k + g * hs, v + g * hs, Int32(prefix.count), Int32(kvDim), scale, scratch,
                        s.packedOutput + offset, Int32(dim), lse(g, block.first))
                    precondition(status == 0, "attention segment arguments out of range")
                }
            }
        }
        WeightMatrix.onBothCores { lane in
            let scratch = s.attentionScratch + lane * s.attentionUnitFloats
            let own = s.ownOutput + lane * (kvMul * hs + kvMul)
            let ownLSE = own + kvMul * hs
            for u in stride(from: lane, to: ownUnits.count, by: 2) {
                let (j, g) = ownUnits[u]
                let r = packed[j]
                let offset = j * dim + g * kvMul * hs
                caches[streams[r]].withLayer(l) { k, v in
                    let status = ck_attention_segment(
                        s.packedQueries + offset, 1, Int32(kvMul), Int32(hs), Int32(dim), k + g * hs, v + g * hs,
                        Int32(slots[r] + 1), Int32(kvDim), scale, scratch, own, Int32(hs), ownLSE)
                    precondition(status == 0, "attention segment arguments out of range")
                }
                ck_attention_merge(s.packedOutput + offset, lse(g, j), own, ownLSE, 1, Int32(kvMul), Int32(hs),
                                   Int32(dim), Int32(hs))
                (s.xb + r * dim + g * kvMul * hs).update(from: s.packedOutput + offset, count: kvMul * hs)
            }
        }
    }

    /// Rotates each adjacent pair (x[2i], x[2i+1]) of every head by the row's angles.
    private func rope(_ x: UnsafeMutablePointer<Float>, heads: Int, _ cosine: UnsafePointer<Float>,
                      _ sine: UnsafePointer<Float>) {
        let hs = configuration.headSize
        for h in 0..<heads {
            let v = x + h * hs
            for i in 0..<ropeFrequencies.count {
                let (a, b) = (v[2 * i], v[2 * i + 1])
                v[2 * i] = a * cosine[i] - b * sine[i]
                v[2 * i + 1] = a * sine[i] + b * cosine[i]
            }
        }
    }
}

// MARK: - Primitives

/// o = weight * x / sqrt(mean(x^2) + eps), over `count` elements.
func rmsnorm(_ o: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ weight: [Float], _ count: Int, _ eps: Float) {
    var ss: Float = 0
    for j in 0..<count { ss += x[j] * x[j] }
    let scale = 1 / (ss / Float(count) + eps).squareRoot()
    weight.withUnsafeBufferPointer { w in
        for j in 0..<count { o[j] = w[j] * (scale * x[j]) }
    }
}
