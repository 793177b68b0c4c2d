import Foundation
import Safetensors
@testable import Encoder

/// A tiny random BERT (dim 8, 2 heads, 1 layer, vocab of 16) written to a temporary folder, so
/// loading, verification and the forward pass can be tested without the real model.
struct TinyBertFixture {
    static let vocabulary = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "un", "una", "##aff", "##ffable",
        "##able", ",", ".", "a", "##a",
    ]
    let directory: URL

    /// Tensor name → shape of the tiny model, including the unused extras of real checkpoints.
    static func shapes() -> [String: [Int]] {
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [16, 8], "embeddings.position_embeddings.weight": [16, 8],
            "embeddings.token_type_embeddings.weight": [2, 8],
            "embeddings.LayerNorm.weight": [8], "embeddings.LayerNorm.bias": [8],
            "pooler.dense.weight": [8, 8], "pooler.dense.bias": [8],
        ]
        let p = "encoder.layer.0."
        for name in ["query", "key", "value"] {
            shapes[p + "attention.self.\(name).weight"] = [8, 8]
            shapes[p + "attention.self.\(name).bias"] = [8]
        }
        for (name, shape) in [
            ("attention.output.dense.weight", [8, 8]), ("attention.output.dense.bias", [8]),
            ("attention.output.LayerNorm.weight", [8]), ("attention.output.LayerNorm.bias", [8]),
            ("intermediate.dense.weight", [16, 8]), ("intermediate.dense.bias", [16]),
            ("output.dense.weight", [8, 16]), ("output.dense.bias", [8]),
            ("output.LayerNorm.weight", [8]), ("output.LayerNorm.bias", [8]),
        ] { shapes[p + name] = shape }
        return shapes
    }

    /// Seeded random tensors for `shapes` (LayerNorm weights near 1).
    static func tensors(shapes: [String: [Int]] = shapes()) -> [String: SafetensorsFloatTensor] {
        var state: UInt64 = 7
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var tensors: [String: SafetensorsFloatTensor] = [:]
        for name in shapes.keys.sorted() {
            let shape = shapes[name] ?? []
            let count = shape.reduce(1, *)
            let base: Float = name.hasSuffix("LayerNorm.weight") ? 1 : 0
            tensors[name] = .init(shape: shape, values: (0..<count).map { _ in base + uniform() })
        }
        return tensors
    }

    /// Writes config.json, vocab.txt and model.safetensors (from `tensors`) to a new temp folder.
    init(tensors: [String: SafetensorsFloatTensor] = Self.tensors(), rawModel: Data? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tinybert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
        {"hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16,
         "vocab_size": 16, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
         "hidden_act": "gelu", "position_embedding_type": "absolute"}
        """
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.json"))
        try Data((Self.vocabulary.joined(separator: "\n") + "\n").utf8)
            .write(to: directory.appendingPathComponent("vocab.txt"))
        let model = try rawModel ?? SafetensorsWriter.serialize(tensors, metadata: ["format": "pt"])
        try model.write(to: directory.appendingPathComponent("model.safetensors"))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
