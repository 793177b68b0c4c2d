import CBLAS
import Foundation

// Port of HuggingFace `BertModel` (transformers/models/bert/modeling_bert.py) for inference,
// followed by sentence-transformers' mean pooling and L2 normalisation.

/// Activation buffers for one batch shape (`batch` sequences padded to `length` tokens), allocated
/// once and reused by every layer and every batch that fits (like llama2.c's `RunState`).
final class BertRunState {
    let rowCapacity: Int, lengthCapacity: Int
    let hidden: UnsafeMutablePointer<Float>        // (rows, dim) the residual stream
    let qkv: UnsafeMutablePointer<Float>           // (rows, 3 * dim) query | key | value
    let context: UnsafeMutablePointer<Float>       // (rows, dim) attention output before projection
    let projected: UnsafeMutablePointer<Float>     // (rows, dim) output of a dense layer
    let intermediate: UnsafeMutablePointer<Float>  // (rows, hidden) feed-forward activations
    let scores: UnsafeMutablePointer<Float>        // (length, length) one head's attention
    let scratch: UnsafeMutablePointer<Float>       // (dim,) LayerNorm workspace
    private let all: [UnsafeMutablePointer<Float>]

    init(config c: BertConfiguration, rows: Int, length: Int) {
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        rowCapacity = rows
        lengthCapacity = length
        hidden = buffer(rows * c.hiddenSize)
        qkv = buffer(rows * 3 * c.hiddenSize)
        context = buffer(rows * c.hiddenSize)
        projected = buffer(rows * c.hiddenSize)
        intermediate = buffer(rows * c.intermediateSize)
        scores = buffer(length * length)
        scratch = buffer(c.hiddenSize)
        all = [hidden, qkv, context, projected, intermediate, scores, scratch]
    }

    deinit { for p in all { p.deallocate() } }
}

/// The BERT encoder with its weights; `embed` runs one padded batch to pooled, normalised vectors.
struct BertModel: Sendable {
    let config: BertConfiguration
    let weights: BertWeights

    /// Mean-pooled, L2-normalised sentence vectors of a batch of token id sequences.
    ///
    /// - Parameters:
    ///   - batch: id sequences, each 1...`maxPositions` long (callers truncate).
    ///   - state: buffers with room for `batch.count × longest` rows and `longest²` scores.
    ///   - output: receives `batch.count × dim` floats, one row per sequence.
    func embed(_ batch: [[Int32]], state s: BertRunState, into output: UnsafeMutablePointer<Float>) {
        let c = config
        let D = c.hiddenSize, H = c.intermediateSize, heads = c.headCount, hd = c.headSize
        let L = batch.map(\.count).max() ?? 0
        let N = batch.count * L
        precondition(N <= s.rowCapacity && L <= s.lengthCapacity && L <= c.maxPositions, "run state too small")
        let scale = 1 / Float(hd).squareRoot()

        weights.storage.withUnsafeBufferPointer { storage in
            guard let w = storage.baseAddress else { return }
            // embeddings: word + position + token type 0, padded rows use id 0 ([PAD])
            for (b, ids) in batch.enumerated() {
                for t in 0..<L {
                    let id = t < ids.count ? Int(ids[t]) : 0
                    let row = s.hidden + (b * L + t) * D
                    let word = w + c.weights(wordRow: id, of: weights)
                    let position = w + weights.positionEmbeddings + t * D
                    let type = w + weights.tokenTypeEmbedding
                    for i in 0..<D { row[i] = word[i] + position[i] + type[i] }
                }
            }
            addLayerNorm(s.hidden, residual: nil, weight: w + weights.embeddingNormWeight,
                         normBias: w + weights.embeddingNormBias, rows: N, width: D,
                         epsilon: c.layerNormEpsilon, scratch: s.scratch)

            for layer in weights.layers {
                // qkv matmuls for all rows: (N, D) @ (3D, D)^T
                linear(s.qkv, s.hidden, w + layer.qkvWeight, bias: w + layer.qkvBias, rows: N, inputs: D, outputs: 3 * D)

                // multi-head attention per sequence over its real tokens only (padded keys masked)
                for (b, ids) in batch.enumerated() {
                    let n = Int32(ids.count)
                    if n == 0 { continue }
                    for h in 0..<heads {
                        let q = s.qkv + b * L * 3 * D + h * hd
                        let k = q + D, v = q + 2 * D
                        // scores (n, n) = q k^T / sqrt(head size)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, Int32(hd),
                                    scale, q, Int32(3 * D), k, Int32(3 * D), 0, s.scores, n)
                        softmaxRows(s.scores, rows: ids.count, width: ids.count)
                        // context (n, hd) = softmax(scores) @ v, into this head's columns
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, Int32(hd), n,
                                    1, s.scores, n, v, Int32(3 * D), 0, s.context + b * L * D + h * hd, Int32(D))
                    }
                }

                // attention output projection, residual connection, post-LayerNorm
                linear(s.projected, s.context, w + layer.attentionOutputWeight, bias: w + layer.attentionOutputBias,
                       rows: N, inputs: D, outputs: D)
                addLayerNorm(s.hidden, residual: s.projected, weight: w + layer.attentionNormWeight,
                             normBias: w + layer.attentionNormBias, rows: N, width: D, epsilon: c.layerNormEpsilon, scratch: s.scratch)

                // feed-forward: output(gelu(intermediate(x))), residual connection, post-LayerNorm
                linear(s.intermediate, s.hidden, w + layer.intermediateWeight, bias: w + layer.intermediateBias,
                       rows: N, inputs: D, outputs: H)
                gelu(s.intermediate, count: N * H)
                linear(s.projected, s.intermediate, w + layer.outputWeight, bias: w + layer.outputBias,
                       rows: N, inputs: H, outputs: D)
                addLayerNorm(s.hidden, residual: s.projected, weight: w + layer.outputNormWeight,
                             normBias: w + layer.outputNormBias, rows: N, width: D, epsilon: c.layerNormEpsilon, scratch: s.scratch)
            }
        }

        // mean pooling over real tokens ([CLS] and [SEP] included), then L2 normalisation
        for (b, ids) in batch.enumerated() {
            let out = output + b * D
            out.initialize(repeating: 0, count: D)
            for t in 0..<ids.count {
                let row = s.hidden + (b * L + t) * D
                for i in 0..<D { out[i] += row[i] }
            }
            let inverseCount = 1 / max(Float(ids.count), 1e-9)
            var norm: Float = 0
            for i in 0..<D {
                out[i] *= inverseCount
                norm += out[i] * out[i]
            }
            let inverseNorm = 1 / max(norm.squareRoot(), 1e-12)
            for i in 0..<D { out[i] *= inverseNorm }
        }
    }
}

extension BertConfiguration {
    /// Offset of a word-embedding row; out-of-range ids (never produced by the tokenizer) use [PAD].
    @inline(__always)
    fileprivate func weights(wordRow id: Int, of weights: BertWeights) -> Int {
        weights.wordEmbeddings + (id >= 0 && id < vocabularySize ? id : 0) * hiddenSize
    }
}
