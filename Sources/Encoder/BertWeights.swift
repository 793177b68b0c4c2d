import Foundation
import Safetensors

/// Offsets (in floats) of one encoder layer's tensors inside `BertWeights.storage`.
/// PyTorch `nn.Linear` layout: a weight is (out, in), row-major.
struct BertLayerOffsets: Sendable {
    var qkvWeight = 0            // (3 * dim, dim): query, key, value stacked
    var qkvBias = 0              // (3 * dim,)
    var attentionOutputWeight = 0 // (dim, dim)
    var attentionOutputBias = 0  // (dim,)
    var attentionNormWeight = 0  // (dim,)
    var attentionNormBias = 0    // (dim,)
    var intermediateWeight = 0   // (hidden, dim)
    var intermediateBias = 0     // (hidden,)
    var outputWeight = 0         // (dim, hidden)
    var outputBias = 0           // (dim,)
    var outputNormWeight = 0     // (dim,)
    var outputNormBias = 0       // (dim,)
}

/// All BERT weights in one contiguous float block (like llama2.c's `memory_map_weights`), with
/// the offset of each tensor.
struct BertWeights: Sendable {
    var storage: [Float] = []
    var wordEmbeddings = 0       // (vocab, dim)
    var positionEmbeddings = 0   // (maxPositions, dim)
    var tokenTypeEmbedding = 0   // (dim,): row 0 of token_type_embeddings (all type ids are 0)
    var embeddingNormWeight = 0  // (dim,)
    var embeddingNormBias = 0    // (dim,)
    var layers: [BertLayerOffsets] = []

    /// Checkpoint tensor names and shapes the model needs.
    static func expectedShapes(_ c: BertConfiguration) -> [String: [Int]] {
        let d = c.hiddenSize, h = c.intermediateSize
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [c.vocabularySize, d],
            "embeddings.position_embeddings.weight": [c.maxPositions, d],
            "embeddings.token_type_embeddings.weight": [c.typeVocabularySize, d],
            "embeddings.LayerNorm.weight": [d], "embeddings.LayerNorm.bias": [d],
        ]
        for l in 0..<c.layerCount {
            let p = "encoder.layer.\(l)."
            for name in ["query", "key", "value"] {
                shapes[p + "attention.self.\(name).weight"] = [d, d]
                shapes[p + "attention.self.\(name).bias"] = [d]
            }
            shapes[p + "attention.output.dense.weight"] = [d, d]
            shapes[p + "attention.output.dense.bias"] = [d]
            shapes[p + "attention.output.LayerNorm.weight"] = [d]
            shapes[p + "attention.output.LayerNorm.bias"] = [d]
            shapes[p + "intermediate.dense.weight"] = [h, d]
            shapes[p + "intermediate.dense.bias"] = [h]
            shapes[p + "output.dense.weight"] = [d, h]
            shapes[p + "output.dense.bias"] = [d]
            shapes[p + "output.LayerNorm.weight"] = [d]
            shapes[p + "output.LayerNorm.bias"] = [d]
        }
        return shapes
    }

    /// Tensors a BERT checkpoint may carry that sentence embedding does not use, with their shapes:
    /// `embeddings.position_ids` (int64 0..<maxPositions) and the classification pooler.
    static func unusedShapes(_ c: BertConfiguration) -> [String: [Int]] {
        [
            "embeddings.position_ids": [1, c.maxPositions],
            "pooler.dense.weight": [c.hiddenSize, c.hiddenSize],
            "pooler.dense.bias": [c.hiddenSize],
        ]
    }

    /// Verifies the checkpoint strictly against `config` and copies the weights out of the mapping.
    /// `fileName` names the file in errors.
    /// - Throws: `SafetensorsError.missingTensor`, `.unexpectedTensor`, `.shapeMismatch` or
    ///   `.dtypeMismatch` naming the tensor; `EncoderError.nonFiniteWeight` for a NaN or infinite
    ///   weight, which would otherwise turn every embedding into NaN.
    init(file: SafetensorsFile, config c: BertConfiguration, fileName: String = "model.safetensors") throws {
        let unused = Self.unusedShapes(c)
        try file.verify(expected: Self.expectedShapes(c), ignoring: Set(unused.keys))
        for (name, shape) in unused.sorted(by: { $0.key < $1.key }) where file.tensors[name] != nil {
            _ = try file.info(name, shape: shape)
        }
        if let ids = file.tensors["embeddings.position_ids"], ids.dtype != .i64 {
            throw SafetensorsError.dtypeMismatch(name: ids.name, expected: "I64", actual: ids.dtype.rawValue)
        }

        var storage: [Float] = []
        storage.reserveCapacity((c.vocabularySize + c.maxPositions + 8) * c.hiddenSize
            + c.layerCount * (4 * c.hiddenSize * c.hiddenSize + 2 * c.hiddenSize * c.intermediateSize + 12 * c.hiddenSize))
        func append(_ name: String, rows: Int? = nil) throws -> Int {
            let offset = storage.count
            let values = try file.floats(name)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw EncoderError.nonFiniteWeight(file: fileName, tensor: name, index: bad, value: values[bad])
            }
            storage.append(contentsOf: rows.map { values.prefix($0 * c.hiddenSize) } ?? values[...])
            return offset
        }
        wordEmbeddings = try append("embeddings.word_embeddings.weight")
        positionEmbeddings = try append("embeddings.position_embeddings.weight")
        tokenTypeEmbedding = try append("embeddings.token_type_embeddings.weight", rows: 1)
        embeddingNormWeight = try append("embeddings.LayerNorm.weight")
        embeddingNormBias = try append("embeddings.LayerNorm.bias")
        for l in 0..<c.layerCount {
            let p = "encoder.layer.\(l)."
            var o = BertLayerOffsets()
            o.qkvWeight = try append(p + "attention.self.query.weight")
            _ = try append(p + "attention.self.key.weight")
            _ = try append(p + "attention.self.value.weight")
            o.qkvBias = try append(p + "attention.self.query.bias")
            _ = try append(p + "attention.self.key.bias")
            _ = try append(p + "attention.self.value.bias")
            o.attentionOutputWeight = try append(p + "attention.output.dense.weight")
            o.attentionOutputBias = try append(p + "attention.output.dense.bias")
            o.attentionNormWeight = try append(p + "attention.output.LayerNorm.weight")
            o.attentionNormBias = try append(p + "attention.output.LayerNorm.bias")
            o.intermediateWeight = try append(p + "intermediate.dense.weight")
            o.intermediateBias = try append(p + "intermediate.dense.bias")
            o.outputWeight = try append(p + "output.dense.weight")
            o.outputBias = try append(p + "output.dense.bias")
            o.outputNormWeight = try append(p + "output.LayerNorm.weight")
            o.outputNormBias = try append(p + "output.LayerNorm.bias")
            layers.append(o)
        }
        self.storage = storage
    }
}
