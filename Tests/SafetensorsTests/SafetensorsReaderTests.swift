import Foundation
import XCTest
@testable import Safetensors

final class SafetensorsReaderTests: XCTestCase {
    private func expectError(
        _ data: Data, _ check: (SafetensorsError) -> Bool, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            _ = try SafetensorsFile(data: data)
            XCTFail("expected an error", file: file, line: line)
        } catch let error as SafetensorsError {
            XCTAssertTrue(check(error), "unexpected error \(error)", file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    // MARK: - Round trip

    func testWriter_RoundTrip_ValuesShapesAndMetadata() throws {
        let tensors = [
            "b.weight": SafetensorsFloatTensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-20, -7]),
            "a.bias": SafetensorsFloatTensor(shape: [1], values: [42]),
            "scalar": SafetensorsFloatTensor(shape: [], values: [3]),
        ]
        let data = try SafetensorsWriter.serialize(tensors, metadata: ["format": "pt", "note": "héllo"])
        let file = try SafetensorsFile(data: data)
        XCTAssertEqual(file.metadata, ["format": "pt", "note": "héllo"])
        XCTAssertEqual(file.tensorNames, ["a.bias", "b.weight", "scalar"])
        for (name, tensor) in tensors {
            XCTAssertEqual(try file.floats(name, shape: tensor.shape), tensor.values, name)
        }
    }

    func testWriter_HeaderPaddedTo8_TensorsInNameOrder() throws {
        for extra in 0..<9 {
            let meta = ["k": String(repeating: "x", count: extra)]
            let data = try SafetensorsWriter.serialize(
                ["z": .init(shape: [1], values: [1]), "a": .init(shape: [2], values: [2, 3])], metadata: meta)
            let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            XCTAssertEqual((8 + Int(length)) % 8, 0, "metadata length \(extra)")
            let file = try SafetensorsFile(data: data)
            XCTAssertEqual(try file.info("a").dataOffsets, 0..<8)
            XCTAssertEqual(try file.info("z").dataOffsets, 8..<12)
        }
    }

    func testWriter_ValuesNotFillingShape_Throws() {
        XCTAssertThrowsError(try SafetensorsWriter.serialize(["w": .init(shape: [2, 2], values: [1])])) {
            XCTAssertEqual($0 as? SafetensorsError, .invalidTensorToWrite(name: "w", reason: "1 values do not fill shape [2, 2]"))
        }
    }

    func testWriter_WritesFileThatMapsBack() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsWriter.write(["w": .init(shape: [3], values: [1, 2, 3])], metadata: ["m": "v"], to: url)
        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(try file.floats("w"), [1, 2, 3])
        XCTAssertEqual(file.metadata["m"], "v")
    }

    // MARK: - Dtypes

    func testReader_F16AndBF16_ConvertExactly() throws {
        // f16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), -0, +inf
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00]
        // bf16: 1.0, -3.0
        let brain: [UInt16] = [0x3F80, 0xC040]
        var bytes: [UInt8] = []
        for v in half + brain { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let header = #"{"h":{"dtype":"F16","shape":[2,3],"data_offsets":[0,12]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[12,16]}}"#
        let file = try SafetensorsFile(data: rawSafetensors(header: header, data: bytes))
        let h = try file.floats("h", shape: [2, 3])
        XCTAssertEqual(Array(h.prefix(5)), [1, -2, 65504, 0x1p-24, 0])
        XCTAssertEqual(h[4].sign, .minus)
        XCTAssertEqual(h[5], .infinity)
        XCTAssertEqual(try file.floats("b"), [1, -3])
    }

    func testReader_I64_ReadsAndRefusesFloatConversion() throws {
        var bytes: [UInt8] = []
        for v: Int64 in [5, -1] { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        let file = try SafetensorsFile(data: rawSafetensors(
            header: #"{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}"#, data: bytes))
        XCTAssertEqual(try file.int64s("ids", shape: [2]), [5, -1])
        XCTAssertThrowsError(try file.floats("ids")) {
            XCTAssertEqual($0 as? SafetensorsError, .dtypeMismatch(name: "ids", expected: "F32, F16 or BF16", actual: "I64"))
        }
    }

    // MARK: - Lookup and verification

    func testLookup_MissingAndMisShaped_NameTheTensor() throws {
        let file = try SafetensorsFile(data: SafetensorsWriter.serialize(["w": .init(shape: [2, 2], values: [1, 2, 3, 4])]))
        XCTAssertThrowsError(try file.floats("nope")) { XCTAssertEqual($0 as? SafetensorsError, .missingTensor("nope")) }
        XCTAssertThrowsError(try file.floats("w", shape: [4])) {
            XCTAssertEqual($0 as? SafetensorsError, .shapeMismatch(name: "w", expected: [4], actual: [2, 2]))
        }
    }

    func testVerify_ReportsMissingUnexpectedAndShape() throws {
        let file = try SafetensorsFile(data: SafetensorsWriter.serialize([
            "a": .init(shape: [1], values: [1]), "extra": .init(shape: [1], values: [1]),
        ]))
        XCTAssertThrowsError(try file.verify(expected: ["a": [1], "b": [1]], ignoring: ["extra"])) {
            XCTAssertEqual($0 as? SafetensorsError, .missingTensor("b"))
        }
        XCTAssertThrowsError(try file.verify(expected: ["a": [1]])) {
            XCTAssertEqual($0 as? SafetensorsError, .unexpectedTensor("extra"))
        }
        XCTAssertThrowsError(try file.verify(expected: ["a": [2]], ignoring: ["extra"])) {
            XCTAssertEqual($0 as? SafetensorsError, .shapeMismatch(name: "a", expected: [2], actual: [1]))
        }
        XCTAssertNoThrow(try file.verify(expected: ["a": [1]], ignoring: ["extra"]))
    }

    // MARK: - Corrupt files

    func testCorrupt_TooSmallAndHeaderPastEnd() {
        expectError(Data([1, 2, 3])) { $0 == .fileTooSmall(size: 3) }
        var data = rawSafetensors(header: "{}", data: [])
        data[0] = 200
        expectError(data) { $0 == .headerLengthOutOfRange(length: 200, fileSize: 10) }
        var huge = Data(repeating: 0xFF, count: 8)
        huge.append(contentsOf: [0x7B, 0x7D])
        expectError(huge) { if case .headerLengthOutOfRange = $0 { return true } else { return false } }
    }

    func testCorrupt_InvalidJSONAndNonObject() {
        expectError(rawSafetensors(header: #"{"a": "#, data: [])) { if case .invalidHeader = $0 { true } else { false } }
        expectError(rawSafetensors(header: "[1,2]", data: [])) { if case .invalidHeader = $0 { true } else { false } }
        expectError(rawSafetensors(header: #"{"a": 3}"#, data: [])) { if case .invalidTensorEntry(name: "a", _) = $0 { true } else { false } }
        expectError(rawSafetensors(header: #"{"__metadata__": {"k": 1}}"#, data: [])) { if case .invalidMetadata = $0 { true } else { false } }
    }

    func testCorrupt_UnknownDType() {
        expectError(rawSafetensors(header: #"{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#, data: [0])) {
            $0 == .unknownDType(name: "w", dtype: "Q4")
        }
    }

    func testCorrupt_OffsetsOutOfRangeMismatchedAndOverlapping() {
        let four = [UInt8](repeating: 0, count: 8)
        expectError(rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: four)) {
            $0 == .offsetsOutOfRange(name: "w", begin: 4, end: 12, dataSize: 8)
        }
        expectError(rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,2]}}"#, data: four)) {
            $0 == .offsetsOutOfRange(name: "w", begin: 4, end: 2, dataSize: 8)
        }
        expectError(rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, data: four)) {
            $0 == .byteCountMismatch(name: "w", expected: 4, actual: 8)
        }
        expectError(rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: four)) {
            if case .invalidTensorEntry(name: "w", _) = $0 { true } else { false }
        }
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(rawSafetensors(header: overlap, data: four)) { $0 == .overlappingTensors(first: "a", second: "b", offset: 4) }
    }

    func testCorrupt_ShapeOverflow_Throws() {
        let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}"#
        expectError(rawSafetensors(header: header, data: [0, 0, 0, 0])) { if case .invalidTensorEntry(name: "w", _) = $0 { true } else { false } }
    }

    func testMissingFile_ThrowsUnreadable() {
        XCTAssertThrowsError(try SafetensorsFile(url: URL(fileURLWithPath: "/nonexistent/x.safetensors"))) {
            guard case .unreadableFile(path: "/nonexistent/x.safetensors", _) = $0 as? SafetensorsError else {
                return XCTFail("\($0)")
            }
        }
    }
}
