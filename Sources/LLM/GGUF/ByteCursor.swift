import Foundation

/// A bounds-checked little-endian reader over the bytes of a GGUF file.
///
/// Every read checks the remaining length first and throws `GGUFError.truncated` naming what was
/// being read; nothing here can read outside `bytes`.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        if count < 0 || count > remaining {
            throw GGUFError.truncated(what: what(), offset: offset, needed: count, fileSize: bytes.count)
        }
    }

    /// Reads one fixed-width integer or float, little-endian.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readFloat(_ what: @autoclosure () -> String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// Reads a count and checks that at least `minimumElementSize` bytes per element remain, so a
    /// crafted count can never trigger a huge allocation.
    mutating func readCount(_ what: @autoclosure () -> String, minimumElementSize: Int) throws -> Int {
        let at = offset
        let count = try read(UInt64.self, what())
        let limit = UInt64(remaining / max(minimumElementSize, 1))
        if count > limit { throw GGUFError.countTooLarge(what: what(), count: count, offset: at) }
        return Int(count)
    }

    /// Reads a GGUF string: a UInt64 byte length followed by UTF-8 bytes.
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readCount(what(), minimumElementSize: 1)
        let start = offset
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        offset += length
        guard let string = String(bytes: slice, encoding: .utf8) else {
            throw GGUFError.invalidString(what: what(), offset: start)
        }
        return string
    }

    /// Advances to the next multiple of `alignment` (a power of two).
    mutating func align(to alignment: Int) {
        offset = (offset + alignment - 1) / alignment * alignment
    }
}
