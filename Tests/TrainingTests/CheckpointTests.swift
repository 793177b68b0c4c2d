import Foundation
import Numerics
import Safetensors
import Training
import XCTest

final class CheckpointTests: XCTestCase {
    private func trainedModel() throws -> (FactorizedModel, TrainingSettings) {
        let config = ModelConfig(inputSize: 6, baseWidths: [8, 5], baseActivation: .tanh, baseLayerNorm: true, baseDropout: 0.1, headDropout: 0.2)
        var model = FactorizedModel(config: config, seed: 3)
        var rng = SplitMix64(seed: 8)
        let users = try ["alice", "bob", "carol"].map { id in
            var x = Matrix(rows: 20, cols: 6)
            for i in 0..<x.count { x.data[i] = Float(rng.normal()) }
            return try UserExamples(userID: id, features: x, labels: (0..<20).map { x[$0, 0] > 0 ? 1 : 0 })
        }
        let settings = TrainingSettings(epochs: 2, batchSize: 8, optimizer: .adamW, learningRate: 1e-2, weightDecay: 0.01, maxGradNorm: 1, seed: 5)
        try JointTraining.train(model: &model, data: users, settings: settings)
        return (model, settings)
    }

    func testRoundTrip_File_RestoresWeightsUsersConfigAndSettings() throws {
        let (model, settings) = try trainedModel()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-ckpt-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(model, training: settings, to: url)
        let loaded = try Checkpoint.load(from: url)
        XCTAssertEqual(loaded.model, model)
        XCTAssertEqual(loaded.model.userIDs, ["alice", "bob", "carol"])
        XCTAssertEqual(loaded.training, settings)
        let x = try Matrix([[0.1, -0.2, 0.3, 0.4, -0.5, 0.6]])
        XCTAssertEqual(try loaded.model.scores(features: x, users: ["bob"]), try model.scores(features: x, users: ["bob"]))
    }

    func testRoundTrip_NoUsersIdentityBase_Works() throws {
        let model = FactorizedModel(config: ModelConfig(inputSize: 4), seed: 1)
        let loaded = try Checkpoint.load(data: try Checkpoint.serialize(model))
        XCTAssertEqual(loaded.model, model)
        XCTAssertNil(loaded.training)
    }

    func testSerialize_StacksHeadsInUserOrder_WithPyTorchShapes() throws {
        let (model, _) = try trainedModel()
        let file = try SafetensorsFile(data: try Checkpoint.serialize(model))
        XCTAssertEqual(try file.info("heads.dense.weight").shape, [3, 5, 5])
        XCTAssertEqual(try file.info("base.layers.0.weight").shape, [8, 6])
        XCTAssertEqual(try file.info("base.layers.1.bias").shape, [5])
        let stacked = try file.floats("heads.out_proj.bias")
        XCTAssertEqual(Array(stacked[2..<4]), try XCTUnwrap(model.head(for: "bob")).outProj.bias.value.data)
        XCTAssertEqual(file.metadata["format"], Checkpoint.format)
        XCTAssertEqual(file.metadata["user_ids"], "[\"alice\",\"bob\",\"carol\"]")
    }

    func testLoad_TruncatedFile_ThrowsSafetensorsError() throws {
        let (model, _) = try trainedModel()
        let data = try Checkpoint.serialize(model)
        for cut in [4, 40, data.count - 3] {
            XCTAssertThrowsError(try Checkpoint.load(data: data.prefix(cut)), "cut at \(cut)") { error in
                XCTAssertTrue(error is SafetensorsError, "\(error)")
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }

    func testLoad_CorruptedHeader_ThrowsSafetensorsError() throws {
        var data = try Checkpoint.serialize(FactorizedModel(config: ModelConfig(inputSize: 3), seed: 1))
        data[9] = UInt8(ascii: "#")  // inside the JSON header
        XCTAssertThrowsError(try Checkpoint.load(data: data)) { error in
            XCTAssertTrue(error is SafetensorsError, "\(error)")
        }
    }

    func testLoad_MissingOrWrongMetadata_ThrowsCheckpointError() throws {
        let plain = try SafetensorsWriter.serialize(["x": SafetensorsFloatTensor(shape: [1], values: [1])])
        XCTAssertThrowsError(try Checkpoint.load(data: plain)) { error in
            XCTAssertEqual(error as? CheckpointError, .missingMetadata(key: "format"))
        }
        let badConfig = try SafetensorsWriter.serialize(
            ["x": SafetensorsFloatTensor(shape: [1], values: [1])],
            metadata: ["format": Checkpoint.format, "config": "{\"inputSize\": \"wide\"}", "user_ids": "[]"])
        XCTAssertThrowsError(try Checkpoint.load(data: badConfig)) { error in
            guard case .invalidMetadata(key: "config", _)? = error as? CheckpointError else {
                return XCTFail("expected invalid config, got \(error)")
            }
        }
    }

    func testLoad_TensorShapeNotMatchingConfig_Throws() throws {
        let model = FactorizedModel(config: ModelConfig(inputSize: 4, baseWidths: [3]), seed: 1)
        let file = try SafetensorsFile(data: try Checkpoint.serialize(model))
        var tensors: [String: SafetensorsFloatTensor] = [:]
        for name in file.tensorNames {
            tensors[name] = SafetensorsFloatTensor(shape: try file.info(name).shape, values: try file.floats(name))
        }
        tensors["base.layers.0.weight"] = SafetensorsFloatTensor(shape: [4, 3], values: Array(repeating: 0, count: 12))
        let broken = try SafetensorsWriter.serialize(tensors, metadata: file.metadata)
        XCTAssertThrowsError(try Checkpoint.load(data: broken)) { error in
            XCTAssertTrue(error is SafetensorsError, "\(error)")
        }
    }
}
