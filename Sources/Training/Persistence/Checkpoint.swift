import Foundation
import Numerics
import Safetensors

/// Errors reading a factorized-model checkpoint beyond what the safetensors reader checks.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// `__metadata__` lacks `key`.
    case missingMetadata(key: String)
    /// The JSON under `key` does not decode.
    case invalidMetadata(key: String, reason: String)
    /// `format` names a layout this code does not read.
    case unsupportedFormat(String)

    public var description: String {
        switch self {
        case let .missingMetadata(key): return "checkpoint metadata has no \"\(key)\""
        case let .invalidMetadata(key, reason): return "checkpoint metadata \"\(key)\" is invalid: \(reason)"
        case let .unsupportedFormat(format): return "unsupported checkpoint format \"\(format)\""
        }
    }
}

/// Saving and loading a `FactorizedModel` as safetensors (f32), readable from Python:
///
/// ```python
/// from safetensors.numpy import load_file   # or safetensors.torch
/// w = load_file("reranker.safetensors")      # w["heads.dense.weight"][u] is user u's (h, h) weight
/// ```
///
/// Tensors (PyTorch layout, weights `[out, in]`):
/// `base.layers.{i}.weight` `[w_i, w_{i-1}]`, `base.layers.{i}.bias` `[w_i]`, `base.norms.{i}.weight|bias`
/// `[w_i]` (with layer norm), `global_head.{dense,out_proj}.{weight,bias}`, and the user heads
/// stacked in `user_ids` order as the reference does: `heads.dense.weight` `[U, h, h]`,
/// `heads.dense.bias` `[U, h]`, `heads.out_proj.weight` `[U, 2, h]`, `heads.out_proj.bias` `[U, 2]`
/// (absent when U = 0). `__metadata__` holds `format`, `config` (ModelConfig JSON), `user_ids`
/// (JSON array) and, when given, `training` (TrainingSettings JSON).
public enum Checkpoint {
    /// The `format` metadata value written and accepted.
    public static let format = "hydra-factorized-v1"

    /// What a checkpoint holds besides the weights.
    public struct Contents: Sendable, Equatable {
        /// The model with every tensor loaded.
        public var model: FactorizedModel
        /// The training settings saved with it, if any.
        public var training: TrainingSettings?
    }

    /// The safetensors bytes of `model` (and `training` in the metadata).
    public static func serialize(_ model: FactorizedModel, training: TrainingSettings? = nil) throws -> Data {
        var tensors: [String: SafetensorsFloatTensor] = [:]
        func put(_ name: String, _ m: Matrix, shape: [Int]? = nil) {
            tensors[name] = SafetensorsFloatTensor(shape: shape ?? [m.rows, m.cols], values: m.data)
        }
        for (i, layer) in model.base.layers.enumerated() {
            put("base.layers.\(i).weight", layer.weight.value)
            put("base.layers.\(i).bias", layer.bias.value, shape: [layer.outFeatures])
        }
        for (i, norm) in model.base.norms.enumerated() {
            put("base.norms.\(i).weight", norm.gamma.value, shape: [norm.gamma.value.cols])
            put("base.norms.\(i).bias", norm.beta.value, shape: [norm.beta.value.cols])
        }
        let h = model.config.hiddenSize
        put("global_head.dense.weight", model.globalHead.dense.weight.value)
        put("global_head.dense.bias", model.globalHead.dense.bias.value, shape: [h])
        put("global_head.out_proj.weight", model.globalHead.outProj.weight.value)
        put("global_head.out_proj.bias", model.globalHead.outProj.bias.value, shape: [2])
        let u = model.heads.count
        if u > 0 {
            let stacked: [(String, [Int], (HydraHead) -> [Float])] = [
                ("heads.dense.weight", [u, h, h], { $0.dense.weight.value.data }),
                ("heads.dense.bias", [u, h], { $0.dense.bias.value.data }),
                ("heads.out_proj.weight", [u, 2, h], { $0.outProj.weight.value.data }),
                ("heads.out_proj.bias", [u, 2], { $0.outProj.bias.value.data }),
            ]
            for (name, shape, values) in stacked {
                tensors[name] = SafetensorsFloatTensor(shape: shape, values: model.heads.flatMap(values))
            }
        }
        var metadata = [
            "format": format,
            "config": try jsonString(model.config),
            "user_ids": try jsonString(model.userIDs),
        ]
        if let training { metadata["training"] = try jsonString(training) }
        return try SafetensorsWriter.serialize(tensors, metadata: metadata)
    }

    /// Writes `model` to `url` atomically.
    public static func save(_ model: FactorizedModel, training: TrainingSettings? = nil, to url: URL) throws {
        try serialize(model, training: training).write(to: url, options: .atomic)
    }

    /// Reads a checkpoint from `url`.
    /// - Throws: `SafetensorsError` for a truncated or corrupted file (naming the offset or tensor),
    ///   `CheckpointError` for missing or invalid metadata, and `SafetensorsError.missingTensor` /
    ///   `.unexpectedTensor` / `.shapeMismatch` when tensors do not fit the config.
    public static func load(from url: URL) throws -> Contents {
        try read(SafetensorsFile(url: url))
    }

    /// Reads a checkpoint from bytes in memory (see `load(from:)`).
    public static func load(data: Data) throws -> Contents {
        try read(SafetensorsFile(data: data))
    }

    private static func read(_ file: SafetensorsFile) throws -> Contents {
        let meta = file.metadata
        guard let fileFormat = meta["format"] else { throw CheckpointError.missingMetadata(key: "format") }
        guard fileFormat == format else { throw CheckpointError.unsupportedFormat(fileFormat) }
        let config: ModelConfig = try decode(meta, "config")
        let userIDs: [String] = try decode(meta, "user_ids")
        let training: TrainingSettings? = meta["training"] == nil ? nil : try decode(meta, "training")
        guard Set(userIDs).count == userIDs.count else {
            throw CheckpointError.invalidMetadata(key: "user_ids", reason: "duplicate user id")
        }

        // the exact tensor set this config implies
        let h = config.hiddenSize
        var expected: [String: [Int]] = [:]
        var width = config.inputSize
        for (i, out) in config.baseWidths.enumerated() {
            expected["base.layers.\(i).weight"] = [out, width]
            expected["base.layers.\(i).bias"] = [out]
            if config.baseLayerNorm {
                expected["base.norms.\(i).weight"] = [out]
                expected["base.norms.\(i).bias"] = [out]
            }
            width = out
        }
        expected["global_head.dense.weight"] = [h, h]
        expected["global_head.dense.bias"] = [h]
        expected["global_head.out_proj.weight"] = [2, h]
        expected["global_head.out_proj.bias"] = [2]
        let u = userIDs.count
        if u > 0 {
            expected["heads.dense.weight"] = [u, h, h]
            expected["heads.dense.bias"] = [u, h]
            expected["heads.out_proj.weight"] = [u, 2, h]
            expected["heads.out_proj.bias"] = [u, 2]
        }
        try file.verify(expected: expected)

        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> Matrix {
            try Matrix(rows: rows, cols: cols, data: file.floats(name, shape: expected[name]))
        }
        var model = FactorizedModel(config: config, seed: 0)
        for i in model.base.layers.indices {
            let layer = model.base.layers[i]
            model.base.layers[i] = Linear(
                weight: try matrix("base.layers.\(i).weight", layer.outFeatures, layer.inFeatures),
                bias: try matrix("base.layers.\(i).bias", 1, layer.outFeatures))
        }
        for i in model.base.norms.indices {
            let n = model.base.norms[i].gamma.value.cols
            model.base.norms[i].gamma = Parameter(try matrix("base.norms.\(i).weight", 1, n))
            model.base.norms[i].beta = Parameter(try matrix("base.norms.\(i).bias", 1, n))
        }
        model.globalHead = HydraHead(
            dense: Linear(weight: try matrix("global_head.dense.weight", h, h), bias: try matrix("global_head.dense.bias", 1, h)),
            outProj: Linear(weight: try matrix("global_head.out_proj.weight", 2, h), bias: try matrix("global_head.out_proj.bias", 1, 2)),
            dropout: config.headDropout)
        if u > 0 {
            let dw = try file.floats("heads.dense.weight", shape: [u, h, h])
            let db = try file.floats("heads.dense.bias", shape: [u, h])
            let ow = try file.floats("heads.out_proj.weight", shape: [u, 2, h])
            let ob = try file.floats("heads.out_proj.bias", shape: [u, 2])
            for (k, id) in userIDs.enumerated() {
                let head = HydraHead(
                    dense: Linear(
                        weight: try Matrix(rows: h, cols: h, data: Array(dw[(k * h * h)..<((k + 1) * h * h)])),
                        bias: try Matrix(rows: 1, cols: h, data: Array(db[(k * h)..<((k + 1) * h)]))),
                    outProj: Linear(
                        weight: try Matrix(rows: 2, cols: h, data: Array(ow[(k * 2 * h)..<((k + 1) * 2 * h)])),
                        bias: try Matrix(rows: 1, cols: 2, data: Array(ob[(k * 2)..<((k + 1) * 2)]))),
                    dropout: config.headDropout)
                model.setHead(head, for: id)
            }
        }
        return Contents(model: model, training: training)
    }

    private static func jsonString<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ meta: [String: String], _ key: String) throws -> T {
        guard let text = meta[key] else { throw CheckpointError.missingMetadata(key: key) }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw CheckpointError.invalidMetadata(key: key, reason: "\(error)")
        }
    }
}
