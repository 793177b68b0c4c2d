import Basics
import Foundation
import TestSupport
import XCTest
@testable import Safetensors

/// Reads the real all-MiniLM-L6-v2 checkpoint and fuzzes its header.
final class SafetensorsModelFileTests: XCTestCase {
    private var modelURL: URL {
        ReferenceData.modelsDirectory.appendingPathComponent("all-MiniLM-L6-v2/model.safetensors")
    }

    func testModelFile_MappedHeaderAndTensors() throws {
        let file = try SafetensorsFile(url: modelURL)
        XCTAssertEqual(file.metadata["format"], "pt")
        XCTAssertEqual(try file.info("embeddings.word_embeddings.weight").shape, [30522, 384])
        XCTAssertEqual(try file.int64s("embeddings.position_ids", shape: [1, 512]), (0..<512).map { Int64($0) })
        let gamma = try file.floats("embeddings.LayerNorm.weight", shape: [384])
        XCTAssertTrue(gamma.allSatisfy { $0.isFinite && $0 != 0 })
    }

    /// Mutates the real header many times with a seeded RNG; every outcome must be a value or a thrown
    /// error, and every tensor of a file that still parses must convert without crashing.
    func testFuzz_MutatedRealHeader_NeverCrashes() throws {
        let handle = try FileHandle(forReadingFrom: modelURL)
        defer { try? handle.close() }
        let prefix = try XCTUnwrap(handle.readData(ofLength: 8))
        let length = prefix.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        // real header, data section cut to 64 KiB so most offsets are out of range and some are not
        let base = prefix + (try XCTUnwrap(handle.readData(ofLength: length + 65536)))
        // The cut file is rejected up front, naming a real tensor whose span now lies past the end.
        let full = try SafetensorsFile(url: modelURL)
        XCTAssertThrowsError(try SafetensorsFile(data: base)) { error in
            guard case SafetensorsError.offsetsOutOfRange(let name, let begin, let end, let dataSize) = error else {
                return XCTFail("expected offsetsOutOfRange, got \(error)")
            }
            XCTAssertEqual(dataSize, 65536)
            XCTAssertGreaterThan(end, dataSize)
            XCTAssertEqual(try? full.info(name).dataOffsets, begin..<end, name)
        }

        let small = try SafetensorsWriter.serialize(
            ["a": .init(shape: [2, 2], values: [1, 2, 3, 4]), "b": .init(shape: [3], values: [5, 6, 7])],
            metadata: ["format": "pt"])
        var rng = SplitMix64(seed: 0x5EED)
        let tokens = Array("{}[]\":,0123456789-.eE FI".utf8)
        var parsed = 0
        for round in 0..<3000 {
            var data = round % 3 == 0 ? small : base
            let edits = 1 + Int(rng.next() % 4)
            for _ in 0..<edits {
                let upper = min(data.count, 8 + length)
                let at = Int(rng.next() % UInt64(max(upper, 1)))
                switch rng.next() % 5 {
                case 0: data[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: data[at] = tokens[Int(rng.next() % UInt64(tokens.count))]
                case 2: data.insert(tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
                case 3: data.remove(at: at)
                default: data = data.prefix(Int(rng.next() % UInt64(data.count + 1)))
                }
                if data.isEmpty { break }
            }
            if let file = try? SafetensorsFile(data: data) {
                parsed += 1
                for name in file.tensorNames {
                    _ = try? file.floats(name)
                    _ = try? file.int64s(name)
                }
            }
        }
        XCTAssertGreaterThan(parsed, 0, "some mutations should still parse")
    }
}
