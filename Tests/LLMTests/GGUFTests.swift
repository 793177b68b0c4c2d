import Basics
import XCTest
@testable import LLM

final class GGUFTests: XCTestCase {
    // MARK: - The real file

    func testRealFile_HeaderMetadataAndTensors() throws {
        let gguf = try Fixtures.gguf.get()
        let info = try XCTUnwrap(Fixtures.reference("smollm2_tokenizer.json")["model_info"] as? [String: Any])
        XCTAssertEqual(gguf.version, 3)
        XCTAssertEqual(try gguf.string("tokenizer.ggml.pre"), "smollm")
        XCTAssertEqual(try gguf.array("tokenizer.ggml.tokens").count, info["n_vocab"] as? Int)
        let config = try LlamaConfiguration(gguf: gguf)
        XCTAssertEqual(config.hiddenSize, info["n_embd"] as? Int)
        XCTAssertEqual(config.vocabularySize, info["n_vocab"] as? Int)
        XCTAssertEqual(config.contextLength, info["n_ctx_train"] as? Int)
        XCTAssertEqual(config.heads % config.kvHeads, 0)
        XCTAssertEqual(gguf.info("token_embd.weight")?.type, .q8_0)
        XCTAssertEqual(gguf.info("blk.0.attn_q.weight")?.type, .q4_1)
        XCTAssertEqual(gguf.info("output_norm.weight")?.type, .f32)
        XCTAssertNil(gguf.info("output.weight"), "SmolLM2 ties the output projection")
        let params = gguf.tensorInfos.reduce(0) { $0 + $1.rowLength * $1.rowCount }
        XCTAssertEqual(params, info["n_params"] as? Int)
    }

    // MARK: - Crafted files

    /// Every metadata value type, including an array of arrays, in a version 2 file.
    func testParse_AllValueTypesAndNestedArrays_Version2() throws {
        var b = GGUFBuilder()
        b.version = 2
        typealias B = GGUFBuilder
        b.add("u8", type: 0, raw: [200])
        b.add("i8", type: 1, raw: [0xFF])
        b.add("u16", type: 2, raw: B.le(UInt16(65000)))
        b.add("i16", type: 3, raw: B.le(Int16(-300)))
        b.add("u32", uint32: 4_000_000_000)
        b.add("i32", type: 5, raw: B.le(Int32(-70000)))
        b.add("f32", float32: 1.5)
        b.add("bool", type: 7, raw: [1])
        b.add("str", string: "héllo")
        b.add("u64", type: 10, raw: B.le(UInt64(1) << 40))
        b.add("i64", type: 11, raw: B.le(Int64(-5)))
        b.add("f64", type: 12, raw: B.le(Double(2.25).bitPattern))
        let inner1 = B.le(UInt32(8)) + B.le(UInt64(2)) + B.string("a") + B.string("bc")
        let inner2 = B.le(UInt32(8)) + B.le(UInt64(0))
        b.add("nested", type: 9, raw: B.le(UInt32(9)) + B.le(UInt64(2)) + inner1 + inner2)
        b.tensors = [("t", [32, 2], 0, [UInt8](repeating: 0, count: 256))]
        let gguf = try GGUFFile(data: b.build())
        XCTAssertEqual(gguf.version, 2)
        XCTAssertEqual(gguf.metadata["u8"], .uint8(200))
        XCTAssertEqual(gguf.metadata["i8"], .int8(-1))
        XCTAssertEqual(gguf.metadata["u16"], .uint16(65000))
        XCTAssertEqual(gguf.metadata["i16"], .int16(-300))
        XCTAssertEqual(gguf.metadata["u32"], .uint32(4_000_000_000))
        XCTAssertEqual(gguf.metadata["i32"], .int32(-70000))
        XCTAssertEqual(gguf.metadata["f32"], .float32(1.5))
        XCTAssertEqual(gguf.metadata["bool"], .bool(true))
        XCTAssertEqual(gguf.metadata["str"], .string("héllo"))
        XCTAssertEqual(gguf.metadata["u64"], .uint64(1 << 40))
        XCTAssertEqual(gguf.metadata["i64"], .int64(-5))
        XCTAssertEqual(gguf.metadata["f64"], .float64(2.25))
        XCTAssertEqual(gguf.metadata["nested"], .array([.array([.string("a"), .string("bc")]), .array([])]))
        XCTAssertEqual(gguf.info("t")?.dims, [32, 2])
        XCTAssertEqual(gguf.dataOffset % 32, 0)
    }

    func testParse_EveryTruncation_ThrowsTruncatedOrCount() throws {
        var b = GGUFBuilder()
        b.add("name", string: "tiny")
        b.add("list", type: 9, raw: GGUFBuilder.le(UInt32(4)) + GGUFBuilder.le(UInt64(2)) + GGUFBuilder.le(UInt32(1)) + GGUFBuilder.le(UInt32(2)))
        b.tensors = [("w", [32], 0, [UInt8](repeating: 1, count: 128))]
        let bytes = b.build()
        XCTAssertNoThrow(try GGUFFile(data: bytes))
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try GGUFFile(data: Array(bytes[..<length])), "prefix \(length)")
        }
    }

    func testParse_BadHeaders_NameTheProblem() {
        var b = GGUFBuilder()
        var bytes = b.build()
        bytes[0] = UInt8(ascii: "X")
        XCTAssertThrowsError(try GGUFFile(data: bytes)) { XCTAssertEqual($0 as? GGUFError, .badMagic(found: 0x4655_4758)) }
        b.version = 4
        XCTAssertThrowsError(try GGUFFile(data: b.build())) { XCTAssertEqual($0 as? GGUFError, .unsupportedVersion(4)) }
    }

    func testParse_HugeArrayCount_ThrowsWithoutAllocating() {
        var b = GGUFBuilder()
        b.add("big", type: 9, raw: GGUFBuilder.le(UInt32(0)) + GGUFBuilder.le(UInt64.max / 2))
        XCTAssertThrowsError(try GGUFFile(data: b.build())) { error in
            guard case .countTooLarge(let what, _, _) = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertTrue(what.contains("big"))
        }
    }

    func testParse_UnsupportedTensorType_NamesTensorAndType() {
        var b = GGUFBuilder()
        b.tensors = [("blk.0.ffn_up.weight", [256], 12, [UInt8](repeating: 0, count: 144))]
        XCTAssertThrowsError(try GGUFFile(data: b.build())) { error in
            XCTAssertEqual(error as? GGUFError, .unsupportedTensorType(name: "blk.0.ffn_up.weight", type: 12))
            XCTAssertTrue("\(error)".contains("Q4_K"))
        }
    }

    func testParse_TensorPastEndOfFile_Throws() {
        var b = GGUFBuilder()
        b.tensors = [("w", [32, 4], 0, [UInt8](repeating: 0, count: 64))]  // needs 512 bytes
        XCTAssertThrowsError(try GGUFFile(data: b.build())) { error in
            guard case .tensorOutOfBounds(let name, _, _, _) = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "w")
        }
    }

    func testParse_UnknownValueTypeAndBadAlignment_Throw() {
        var b = GGUFBuilder()
        b.add("odd", type: 13, raw: [0])
        XCTAssertThrowsError(try GGUFFile(data: b.build())) { error in
            guard case .unknownValueType(let key, 13, _) = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertEqual(key, "odd")
        }
        var c = GGUFBuilder()
        c.add("general.alignment", uint32: 24)
        XCTAssertThrowsError(try GGUFFile(data: c.build())) { XCTAssertEqual($0 as? GGUFError, .invalidAlignment(24)) }
    }

    func testModel_MissingTensor_Throws() throws {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        for (k, v) in [("llama.embedding_length", 64), ("llama.feed_forward_length", 128), ("llama.block_count", 1),
                       ("llama.attention.head_count", 4), ("llama.context_length", 128), ("llama.vocab_size", 16)] {
            b.add(k, uint32: UInt32(v))
        }
        b.add("llama.attention.layer_norm_rms_epsilon", float32: 1e-5)
        XCTAssertThrowsError(try LlamaModel(gguf: GGUFFile(data: b.build()))) {
            XCTAssertEqual($0 as? GGUFError, .missingTensor("token_embd.weight"))
        }
    }

    func testConfiguration_ZeroRMSEpsilon_IsNamedUnderItsOwnKey() throws {
        for (epsilon, theta, key) in [
            (Float(0), Float(10000), "llama.attention.layer_norm_rms_epsilon"),
            (Float.nan, Float(10000), "llama.attention.layer_norm_rms_epsilon"),
            (Float(1e-5), Float(0), "llama.rope.freq_base"),
        ] {
            var b = GGUFBuilder()
            b.add("general.architecture", string: "llama")
            for (k, v) in [("llama.embedding_length", 64), ("llama.feed_forward_length", 128), ("llama.block_count", 1),
                           ("llama.attention.head_count", 4), ("llama.context_length", 128), ("llama.vocab_size", 16)] {
                b.add(k, uint32: UInt32(v))
            }
            b.add("llama.attention.layer_norm_rms_epsilon", float32: epsilon)
            b.add("llama.rope.freq_base", float32: theta)
            XCTAssertThrowsError(try LlamaConfiguration(gguf: GGUFFile(data: b.build()))) {
                XCTAssertEqual($0 as? GGUFError, .invalidValue(key: key, expected: "a positive finite number"), "\(epsilon) \(theta)")
            }
        }
    }

    // MARK: - Fuzzing

    /// Mutates bytes of the real file's header and metadata (seeded), and asserts the reader
    /// returns or throws, never crashes or reads out of bounds.
    func testFuzz_MutatedRealHeader_NeverCrashes() throws {
        let gguf = try Fixtures.gguf.get()
        let prefix = Array(UnsafeRawBufferPointer(start: gguf.bytes.base, count: min(gguf.dataOffset + 4096, gguf.bytes.count)))
        var rng = SplitMix64(seed: 2024, stream: 0)
        var outcomes = (parsed: 0, failed: 0)
        for iteration in 0..<100 {
            var bytes = prefix
            let mutations = 1 + Int(rng.next() % 8)
            for _ in 0..<mutations {
                // half the mutations hit the header and first keys, the rest anywhere before the data
                let span = rng.next() % 2 == 0 ? 512 : gguf.dataOffset
                let at = Int(rng.next() % UInt64(span))
                switch rng.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[at] ^= 0x80
                default: bytes[at] = 0xFF
                }
            }
            if iteration % 10 == 9 { bytes = Array(bytes[..<Int(rng.next() % UInt64(bytes.count))]) }
            do {
                _ = try GGUFFile(data: bytes)
                outcomes.parsed += 1
            } catch is GGUFError {
                outcomes.failed += 1
            }
        }
        XCTAssertEqual(outcomes.parsed + outcomes.failed, 100)
        XCTAssertGreaterThan(outcomes.failed, 0)
    }
}
