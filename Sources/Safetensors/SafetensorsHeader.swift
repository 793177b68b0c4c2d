import Foundation

/// Where one tensor lives in a safetensors file and what it holds.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    /// The tensor's name in the header.
    public let name: String
    /// Its element type.
    public let dtype: SafetensorsDType
    /// Its shape, outermost dimension first (an empty shape is a scalar).
    public let shape: [Int]
    /// Its byte range relative to the start of the data section (`data_offsets` in the header).
    public let dataOffsets: Range<Int>

    /// Number of elements (product of `shape`; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// The parsed header: tensor entries and the `__metadata__` string map.
struct SafetensorsHeader {
    /// Largest header this reader accepts (same limit as the Python library: 100 MB).
    static let maxHeaderLength: UInt64 = 100_000_000

    var tensors: [String: SafetensorsTensorInfo]
    var metadata: [String: String]
    /// Byte offset of the data section in the file (8 + header length).
    var dataStart: Int

    /// Parses and validates the header of a whole file's bytes.
    ///
    /// Checks: the length prefix fits in the file, the header is a JSON object, each entry has a
    /// known dtype, a shape of non-negative integers and two ordered offsets inside the data
    /// section whose span equals dtype size × element count, and no two spans overlap.
    init(fileBytes bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.fileTooSmall(size: bytes.count) }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= Self.maxHeaderLength, length <= UInt64(bytes.count - 8) else {
            throw SafetensorsError.headerLengthOutOfRange(length: length, fileSize: bytes.count)
        }
        let headerLength = Int(length)
        dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        let headerData = Data(bytes[8..<dataStart])

        guard headerData.first == UInt8(ascii: "{") else {
            throw SafetensorsError.invalidHeader(reason: "does not start with '{'")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw SafetensorsError.invalidHeader(reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let entries = object as? [String: Any] else {
            throw SafetensorsError.invalidHeader(reason: "not a JSON object")
        }

        var tensors: [String: SafetensorsTensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafetensorsError.invalidMetadata(reason: "not a JSON object")
                }
                for (key, item) in map {
                    guard let text = item as? String else {
                        throw SafetensorsError.invalidMetadata(reason: "value of '\(key)' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, dataSize: dataSize)
        }
        try Self.checkNoOverlap(Array(tensors.values))
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int) throws -> SafetensorsTensorInfo {
        guard let entry = value as? [String: Any] else {
            throw SafetensorsError.invalidTensorEntry(name: name, reason: "entry is not a JSON object")
        }
        guard let dtypeText = entry["dtype"] as? String else {
            throw SafetensorsError.invalidTensorEntry(name: name, reason: "missing or non-string 'dtype'")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else {
            throw SafetensorsError.unknownDType(name: name, dtype: dtypeText)
        }
        guard let shapeItems = entry["shape"] as? [Any] else {
            throw SafetensorsError.invalidTensorEntry(name: name, reason: "missing or non-array 'shape'")
        }
        var shape: [Int] = []
        var elements = 1
        for item in shapeItems {
            guard let dim = exactInteger(item), dim >= 0 else {
                throw SafetensorsError.invalidTensorEntry(name: name, reason: "shape \(shapeItems) has a non-integer or negative dimension")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw SafetensorsError.invalidTensorEntry(name: name, reason: "shape \(shapeItems) overflows")
            }
            elements = product
            shape.append(dim)
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let begin = exactInteger(offsets[0]), let end = exactInteger(offsets[1])
        else {
            throw SafetensorsError.invalidTensorEntry(name: name, reason: "'data_offsets' must be two integers")
        }
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw SafetensorsError.offsetsOutOfRange(name: name, begin: begin, end: end, dataSize: dataSize)
        }
        let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, expected == end - begin else {
            throw SafetensorsError.byteCountMismatch(name: name, expected: overflow ? Int.max : expected, actual: end - begin)
        }
        return SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    /// Sorts spans by start and rejects any that begins before the previous one ends.
    private static func checkNoOverlap(_ infos: [SafetensorsTensorInfo]) throws {
        let sorted = infos.filter { !$0.dataOffsets.isEmpty }.sorted {
            ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name)
        }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where next.dataOffsets.lowerBound < previous.dataOffsets.upperBound {
            throw SafetensorsError.overlappingTensors(
                first: previous.name, second: next.name, offset: next.dataOffsets.lowerBound)
        }
    }
}

/// An integer JSON number (no fraction, in `Int` range), else nil.
func exactInteger(_ value: Any) -> Int? {
    if let int = value as? Int { return int }
    if let double = value as? Double { return Int(exactly: double) }
    return nil
}
