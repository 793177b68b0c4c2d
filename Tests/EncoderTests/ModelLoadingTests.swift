import Foundation
import Safetensors
import TestSupport
import XCTest
@testable import Encoder

final class ModelLoadingTests: XCTestCase {
    private func loadError(_ fixture: TinyBertFixture) -> Error? {
        defer { fixture.remove() }
        do {
            _ = try MiniLMEncoder(modelDirectory: fixture.directory)
            return nil
        } catch {
            return error
        }
    }

    func testTinyModel_LoadsAndEncodesNormalisedDeterministicVectors() throws {
        let fixture = try TinyBertFixture()
        defer { fixture.remove() }
        let encoder = try MiniLMEncoder(modelDirectory: fixture.directory, batchSize: 2)
        XCTAssertEqual(encoder.dimension, 8)
        XCTAssertEqual(encoder.tokenize("Hello, world."), [2, 5, 12, 6, 13, 3])
        let texts = ["hello world", "", "a a a a a a a a a a a a a a a a a a a a", "unaffable", "hello world"]
        let vectors = try encoder.encode(texts)
        XCTAssertEqual(vectors.count, texts.count)
        for vector in vectors {
            XCTAssertEqual(vector.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
        }
        XCTAssertEqual(vectors[0], vectors[4])
        XCTAssertNotEqual(vectors[0], vectors[1])
        // truncated to max_position_embeddings = 16 tokens, and equal to the same ids encoded directly
        XCTAssertEqual(encoder.tokenize(texts[2]).count, 16)
        XCTAssertEqual(vectors[2], encoder.encode(tokenized: [encoder.tokenize(texts[2])])[0])
        XCTAssertEqual(try encoder.encode([]), [])
    }

    func testMissingFiles_ErrorNamesFetchCommand() {
        let missing = URL(fileURLWithPath: "/nonexistent/all-MiniLM-L6-v2")
        XCTAssertThrowsError(try MiniLMEncoder(modelDirectory: missing)) { error in
            XCTAssertEqual(error as? EncoderError, .modelFilesMissing(
                directory: missing.path, missing: ["config.json", "vocab.txt", "model.safetensors"]))
            XCTAssertTrue("\(error)".contains("hydra models fetch"))
        }
    }

    func testMissingVocab_ErrorNamesVocabFile() throws {
        let fixture = try TinyBertFixture()
        try FileManager.default.removeItem(at: fixture.directory.appendingPathComponent("vocab.txt"))
        XCTAssertEqual(loadError(fixture) as? EncoderError,
                       .modelFilesMissing(directory: fixture.directory.path, missing: ["vocab.txt"]))
        XCTAssertThrowsError(try WordPieceTokenizer(vocabularyURL: URL(fileURLWithPath: "/nonexistent/vocab.txt"))) {
            guard case .invalidVocabulary(path: "/nonexistent/vocab.txt", line: 0, _) = $0 as? EncoderError else {
                return XCTFail("\($0)")
            }
        }
    }

    func testNaNWeights_AreAClearErrorNotACrash() throws {
        for bad in [Float.nan, .infinity] {
            var tensors = TinyBertFixture.tensors()
            var values = tensors["encoder.layer.0.attention.self.key.weight"]!.values
            values[5] = bad
            tensors["encoder.layer.0.attention.self.key.weight"] = .init(shape: [8, 8], values: values)
            let fixture = try TinyBertFixture(tensors: tensors)
            let file = fixture.directory.appendingPathComponent("model.safetensors").path
            let error = loadError(fixture)
            guard case .nonFiniteWeight(file, "encoder.layer.0.attention.self.key.weight", 5, let value)? = error as? EncoderError else {
                return XCTFail("\(String(describing: error))")
            }
            XCTAssertEqual(value.isNaN, bad.isNaN)
            XCTAssertTrue("\(error!)".contains("hydra models fetch"), "\(error!)")
        }
    }

    func testStrictVerification_MissingUnexpectedMisShapedTensor() throws {
        var tensors = TinyBertFixture.tensors()
        tensors["encoder.layer.0.output.dense.bias"] = nil
        XCTAssertEqual(loadError(try TinyBertFixture(tensors: tensors)) as? SafetensorsError,
                       .missingTensor("encoder.layer.0.output.dense.bias"))

        tensors = TinyBertFixture.tensors()
        tensors["encoder.layer.1.output.dense.bias"] = .init(shape: [8], values: .init(repeating: 0, count: 8))
        XCTAssertEqual(loadError(try TinyBertFixture(tensors: tensors)) as? SafetensorsError,
                       .unexpectedTensor("encoder.layer.1.output.dense.bias"))

        tensors = TinyBertFixture.tensors()
        tensors["encoder.layer.0.intermediate.dense.weight"] = .init(shape: [8, 16], values: .init(repeating: 0, count: 128))
        XCTAssertEqual(loadError(try TinyBertFixture(tensors: tensors)) as? SafetensorsError,
                       .shapeMismatch(name: "encoder.layer.0.intermediate.dense.weight", expected: [16, 8], actual: [8, 16]))

        tensors = TinyBertFixture.tensors()
        tensors["embeddings.position_ids"] = .init(shape: [1, 16], values: .init(repeating: 0, count: 16))
        XCTAssertEqual(loadError(try TinyBertFixture(tensors: tensors)) as? SafetensorsError,
                       .dtypeMismatch(name: "embeddings.position_ids", expected: "I64", actual: "F32"))
    }

    func testTruncatedAndCorruptedModelFile_ThrowSafetensorsErrors() throws {
        let real = ReferenceData.modelsDirectory.appendingPathComponent("all-MiniLM-L6-v2/model.safetensors")
        let handle = try FileHandle(forReadingFrom: real)
        let prefix = try XCTUnwrap(handle.readData(ofLength: 1 << 20))
        try handle.close()
        // the real header with the data cut at 1 MiB: a tensor's offsets run past the end
        guard case .offsetsOutOfRange? = loadError(try TinyBertFixture(rawModel: prefix)) as? SafetensorsError else {
            return XCTFail("expected offsetsOutOfRange")
        }
        var corrupt = prefix
        corrupt[7] = 0x40  // header length now past the end of the file
        guard case .headerLengthOutOfRange? = loadError(try TinyBertFixture(rawModel: corrupt)) as? SafetensorsError else {
            return XCTFail("expected headerLengthOutOfRange")
        }
        var garbled = try SafetensorsWriter.serialize(TinyBertFixture.tensors())
        garbled[9] = UInt8(ascii: "}")  // `{}` then garbage: invalid JSON
        guard case .invalidHeader? = loadError(try TinyBertFixture(rawModel: garbled)) as? SafetensorsError else {
            return XCTFail("expected invalidHeader")
        }
    }

    func testBadConfig_NamesTheProblem() throws {
        let fixture = try TinyBertFixture()
        defer { fixture.remove() }
        let config = fixture.directory.appendingPathComponent("config.json")
        try Data(#"{"hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 3, "intermediate_size": 16, "vocab_size": 16, "max_position_embeddings": 16}"#.utf8).write(to: config)
        XCTAssertThrowsError(try MiniLMEncoder(modelDirectory: fixture.directory)) {
            guard case .invalidConfig(path: config.path, let reason)? = $0 as? EncoderError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("num_attention_heads"))
        }
        try Data("not json".utf8).write(to: config)
        XCTAssertThrowsError(try MiniLMEncoder(modelDirectory: fixture.directory)) {
            guard case .invalidConfig? = $0 as? EncoderError else { return XCTFail("\($0)") }
        }
    }
}
