import Foundation
import XCTest
import TestSupport
@testable import LLM

/// The real SmolLM2 file and the parsed objects built from it, loaded once per test process.
enum Fixtures {
    static let modelURL = ReferenceData.modelsDirectory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")

    static let gguf: Result<GGUFFile, Error> = Result { try GGUFFile(url: modelURL) }
    static let tokenizer: Result<BPETokenizer, Error> = Result { try BPETokenizer(gguf: gguf.get()) }
    static let model: Result<LlamaModel, Error> = Result { try LlamaModel(gguf: gguf.get()) }
    /// The same weights for integer products (its own mapping: packing lets the file's pages go).
    static let int8Model: Result<LlamaModel, Error> = Result {
        try LlamaModel(gguf: GGUFFile(url: modelURL), precision: .int8)
    }

    /// The oracle file `name` as a dictionary.
    static func reference(_ name: String) throws -> [String: Any] {
        guard let object = try ReferenceData.json(name) as? [String: Any] else {
            throw XCTSkip("\(name) is not a JSON object")
        }
        return object
    }
}
