import Foundation

/// A read-only, memory-mapped safetensors file.
///
/// The header is parsed and validated once in `init`; tensor bytes stay in the mapping until a
/// caller converts one (`floats(_:shape:)`, `int64s(_:shape:)`). Format: 8-byte little-endian header
/// length N, N bytes of JSON (`{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}`),
/// then the data section that `data_offsets` index into.
public struct SafetensorsFile: Sendable {
    /// The file's bytes (memory-mapped when opened from a URL).
    private let bytes: Data
    /// Byte offset of the data section in `bytes`.
    private let dataStart: Int

    /// Every tensor in the file by name.
    public let tensors: [String: SafetensorsTensorInfo]
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]

    /// Opens and validates a file, mapping it into memory rather than reading it.
    /// - Parameter url: the `.safetensors` file.
    /// - Throws: `SafetensorsError.unreadableFile` or any header error.
    public init(url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Validates a safetensors image already in memory.
    /// - Throws: a `SafetensorsError` naming the faulty field, tensor or offset.
    public init(data: Data) throws {
        let header = try data.withUnsafeBytes { try SafetensorsHeader(fileBytes: $0) }
        bytes = data
        dataStart = header.dataStart
        tensors = header.tensors
        metadata = header.metadata
    }

    /// Tensor names in ascending order.
    public var tensorNames: [String] { tensors.keys.sorted() }

    /// The entry of `name`, optionally checking its shape.
    /// - Throws: `.missingTensor` or `.shapeMismatch`.
    public func info(_ name: String, shape: [Int]? = nil) throws -> SafetensorsTensorInfo {
        guard let info = tensors[name] else { throw SafetensorsError.missingTensor(name) }
        if let shape, shape != info.shape {
            throw SafetensorsError.shapeMismatch(name: name, expected: shape, actual: info.shape)
        }
        return info
    }

    /// A floating-point tensor converted to `[Float]` (row-major), from f32, f16 or bf16.
    /// - Parameters:
    ///   - name: tensor name.
    ///   - shape: when given, the tensor must have exactly this shape.
    /// - Throws: `.missingTensor`, `.shapeMismatch`, or `.dtypeMismatch` for integer tensors.
    public func floats(_ name: String, shape: [Int]? = nil) throws -> [Float] {
        let info = try info(name, shape: shape)
        let count = info.elementCount
        let start = dataStart + info.dataOffsets.lowerBound
        return try bytes.withUnsafeBytes { raw -> [Float] in
            let source = UnsafeRawBufferPointer(rebasing: raw[start..<(start + info.dataOffsets.count)])
            switch info.dtype {
            case .f32:
                return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source) }
                    initialized = count
                }
            case .f16:
                return (0..<count).map { i in
                    floatFromHalfBits(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                }
            case .bf16:
                return (0..<count).map { i in
                    floatFromBFloat16Bits(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                }
            case .i64:
                throw SafetensorsError.dtypeMismatch(name: name, expected: "F32, F16 or BF16", actual: info.dtype.rawValue)
            }
        }
    }

    /// An I64 tensor as `[Int64]`.
    /// - Throws: `.missingTensor`, `.shapeMismatch`, or `.dtypeMismatch` when not I64.
    public func int64s(_ name: String, shape: [Int]? = nil) throws -> [Int64] {
        let info = try info(name, shape: shape)
        guard info.dtype == .i64 else {
            throw SafetensorsError.dtypeMismatch(name: name, expected: "I64", actual: info.dtype.rawValue)
        }
        let start = dataStart + info.dataOffsets.lowerBound
        return bytes.withUnsafeBytes { raw in
            (0..<info.elementCount).map { i in
                Int64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: Int64.self))
            }
        }
    }

    /// Checks the file holds exactly the expected tensors with the expected shapes.
    ///
    /// - Parameters:
    ///   - expected: required tensor name → shape.
    ///   - ignored: names that may be present and are not used (e.g. `embeddings.position_ids`).
    /// - Throws: the first problem in name order: `.missingTensor`, `.shapeMismatch`, or
    ///   `.unexpectedTensor`.
    public func verify(expected: [String: [Int]], ignoring ignored: Set<String> = []) throws {
        for name in expected.keys.sorted() {
            _ = try info(name, shape: expected[name])
        }
        for name in tensorNames where expected[name] == nil && !ignored.contains(name) {
            throw SafetensorsError.unexpectedTensor(name)
        }
    }
}
