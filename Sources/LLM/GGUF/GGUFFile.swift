import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a tensor lives in a GGUF file and how it is shaped.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public let name: String
    /// GGML dimensions, fastest-varying first: `[rowLength, rows, ...]`.
    public let dims: [Int]
    /// Element type.
    public let type: GGMLType
    /// Byte offset from the start of the data section.
    public let offset: Int
    /// Bytes the tensor occupies.
    public let byteCount: Int

    /// Elements per row (`dims[0]`).
    public var rowLength: Int { dims[0] }
    /// Number of rows (product of the other dimensions).
    public var rowCount: Int { dims.dropFirst().reduce(1, *) }
}

/// The bytes of a file, memory-mapped read-only (or owned, for tests and fuzzing).
final class FileBytes: @unchecked Sendable {
    let base: UnsafeRawPointer
    let count: Int
    private let mapped: Bool

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw GGUFError.cannotOpen(path: path, errno: errno) }
        count = Int(info.st_size)
        guard count > 0 else { throw GGUFError.truncated(what: "header", offset: 0, needed: 4, fileSize: 0) }
        guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else {
            throw GGUFError.cannotOpen(path: path, errno: errno)
        }
        base = UnsafeRawPointer(pointer)
        mapped = true
    }

    init(copying bytes: [UInt8]) {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { pointer.copyMemory(from: from, byteCount: source.count) }
        }
        base = UnsafeRawPointer(pointer)
        count = bytes.count
        mapped = false
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Drops the resident pages wholly inside [offset, offset + length) from this process's
    /// memory; they are read again from the file if touched (a mapping never written to loses
    /// nothing). Owned bytes stay as they are.
    func releaseResidentPages(offset: Int, length: Int) {
        guard mapped else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + offset + page - 1) / page * page
        let end = (Int(bitPattern: base) + offset + length) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, Int32(MADV_DONTNEED))
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: base), count) } else { base.deallocate() }
    }
}

/// A parsed GGUF file (versions 2 and 3): metadata, tensor infos, and the memory-mapped data.
///
/// Layout (ggml/docs/gguf.md): magic `GGUF`, version, tensor count, metadata count, the metadata
/// key/value pairs, the tensor infos, padding to `general.alignment` (default 32), tensor data.
public final class GGUFFile: Sendable {
    /// Format version (2 or 3).
    public let version: UInt32
    /// All metadata key/value pairs.
    public let metadata: [String: GGUFValue]
    /// Tensor infos in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// Byte offset of the data section.
    public let dataOffset: Int
    let bytes: FileBytes
    private let index: [String: Int]

    /// Memory-maps and parses the file at `url`.
    public convenience init(url: URL) throws {
        try self.init(bytes: FileBytes(path: url.path))
    }

    /// Parses a GGUF image held in memory (used by tests and the fuzz test).
    public convenience init(data: [UInt8]) throws {
        try self.init(bytes: FileBytes(copying: data))
    }

    init(bytes: FileBytes) throws {
        self.bytes = bytes
        var cursor = ByteCursor(bytes.buffer)
        let magic = try cursor.read(UInt32.self, "magic")
        guard magic == 0x4655_4747 else { throw GGUFError.badMagic(found: magic) }
        version = try cursor.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        // a tensor info takes at least 8 (name) + 4 + 8 + 4 + 8 bytes; a key/value pair 8 + 4 + 1
        let tensorCount = try cursor.readCount("tensor", minimumElementSize: 32)
        let keyCount = try cursor.readCount("metadata", minimumElementSize: 13)

        var metadata: [String: GGUFValue] = [:]
        for i in 0..<keyCount {
            let key = try cursor.readString("metadata key #\(i)")
            let type = try cursor.read(UInt32.self, "type of '\(key)'")
            let value = try GGUFValue.read(type: type, key: key, from: &cursor)
            guard metadata.updateValue(value, forKey: key) == nil else { throw GGUFError.duplicateName(key) }
        }
        self.metadata = metadata

        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard let a = value.intValue, a > 0, a & (a - 1) == 0, a <= 1 << 20 else {
                throw GGUFError.invalidAlignment(UInt64(value.intValue ?? 0))
            }
            alignment = a
        }

        var raw: [(name: String, dims: [UInt64], type: UInt32, offset: UInt64)] = []
        for i in 0..<tensorCount {
            let name = try cursor.readString("tensor name #\(i)")
            let at = cursor.offset
            let dimCount = try cursor.read(UInt32.self, "dimension count of '\(name)'")
            guard (1...4).contains(dimCount) else {
                throw GGUFError.countTooLarge(what: "dimensions of '\(name)'", count: UInt64(dimCount), offset: at)
            }
            var dims: [UInt64] = []
            for _ in 0..<dimCount { dims.append(try cursor.read(UInt64.self, "dimension of '\(name)'")) }
            let type = try cursor.read(UInt32.self, "type of '\(name)'")
            let offset = try cursor.read(UInt64.self, "offset of '\(name)'")
            raw.append((name, dims, type, offset))
        }
        cursor.align(to: alignment)
        dataOffset = cursor.offset
        let dataSize = max(bytes.count - dataOffset, 0)

        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        for t in raw {
            let info = try Self.validate(t, alignment: alignment, dataSize: dataSize, fileSize: bytes.count)
            guard index.updateValue(infos.count, forKey: t.name) == nil else { throw GGUFError.duplicateName(t.name) }
            infos.append(info)
        }
        tensorInfos = infos
        self.index = index
    }

    private static func validate(
        _ t: (name: String, dims: [UInt64], type: UInt32, offset: UInt64), alignment: Int, dataSize: Int, fileSize: Int
    ) throws -> GGUFTensorInfo {
        guard let type = GGMLType(rawValue: t.type) else {
            throw GGUFError.unsupportedTensorType(name: t.name, type: t.type)
        }
        var elements = 1
        var dims: [Int] = []
        for d in t.dims {
            guard d > 0, d < 1 << 40, let di = Int(exactly: d) else { throw GGUFError.invalidTensorShape(name: t.name, dims: t.dims) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: di)
            guard !overflow, product < 1 << 48 else { throw GGUFError.invalidTensorShape(name: t.name, dims: t.dims) }
            elements = product
            dims.append(di)
        }
        guard dims[0] % type.blockSize == 0 else {
            throw GGUFError.misalignedBlocks(name: t.name, rowLength: dims[0], blockSize: type.blockSize)
        }
        guard t.offset % UInt64(alignment) == 0 else { throw GGUFError.misalignedTensor(name: t.name, offset: t.offset) }
        let size = type.byteCount(elements: elements)
        guard t.offset <= UInt64(dataSize), UInt64(size) <= UInt64(dataSize) - t.offset else {
            throw GGUFError.tensorOutOfBounds(name: t.name, offset: t.offset, size: UInt64(size), fileSize: fileSize)
        }
        return GGUFTensorInfo(name: t.name, dims: dims, type: type, offset: Int(t.offset), byteCount: size)
    }

    // MARK: - Access

    /// The info of tensor `name`, or nil.
    public func info(_ name: String) -> GGUFTensorInfo? { index[name].map { tensorInfos[$0] } }

    /// The raw bytes of tensor `name` (valid while this file is alive).
    public func data(of info: GGUFTensorInfo) -> UnsafeRawPointer {
        bytes.base + dataOffset + info.offset
    }

    /// Lets the memory holding tensor `info`'s bytes go (a copy of them is used instead); the
    /// bytes stay readable, from the file.
    func releaseResidentPages(of info: GGUFTensorInfo) {
        bytes.releaseResidentPages(offset: dataOffset + info.offset, length: info.byteCount)
    }

    /// The whole tensor `name` dequantized to Float, in GGML order (row after row).
    public func dequantized(_ name: String) throws -> [Float] {
        guard let info = info(name) else { throw GGUFError.missingTensor(name) }
        let count = info.rowLength * info.rowCount
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { dequantize(info.type, data(of: info), count: count, into: base) }
            initialized = count
        }
    }

    // MARK: - Typed metadata

    /// An integer metadata value; throws if missing or not an integer.
    public func int(_ key: String) throws -> Int {
        guard let value = metadata[key] else { throw GGUFError.missingKey(key) }
        guard let int = value.intValue else { throw GGUFError.invalidValue(key: key, expected: "an integer") }
        return int
    }

    /// A float metadata value; throws if missing or not a number.
    public func double(_ key: String) throws -> Double {
        guard let value = metadata[key] else { throw GGUFError.missingKey(key) }
        guard let d = value.doubleValue else { throw GGUFError.invalidValue(key: key, expected: "a number") }
        return d
    }

    /// A string metadata value; throws if missing or not a string.
    public func string(_ key: String) throws -> String {
        guard let value = metadata[key] else { throw GGUFError.missingKey(key) }
        guard let s = value.stringValue else { throw GGUFError.invalidValue(key: key, expected: "a string") }
        return s
    }

    /// An array metadata value; throws if missing or not an array.
    public func array(_ key: String) throws -> [GGUFValue] {
        guard let value = metadata[key] else { throw GGUFError.missingKey(key) }
        guard let a = value.arrayValue else { throw GGUFError.invalidValue(key: key, expected: "an array") }
        return a
    }
}
