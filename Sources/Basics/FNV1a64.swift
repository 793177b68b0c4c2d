/// FNV-1a, 64-bit (Fowler, Noll, Vo): offset basis 0xcbf29ce484222325, prime 0x100000001b3.
/// The project's one stable hash: the same value on every run, process and platform, which is
/// why cache keys, store names and hashed features use it. Callers that hash several fields
/// choose how to separate them (a length or a marker byte), and must keep that choice once
/// stored data is keyed by it.
public struct FNV1a64: Sendable {
    @usableFromInline var current: UInt64
    /// The hash of the bytes added so far.
    public var value: UInt64 { current }

    /// The hash of no bytes (the offset basis).
    @inlinable
    public init() { current = 0xCBF2_9CE4_8422_2325 }

    /// Adds one byte.
    @inlinable
    public mutating func add(byte: UInt8) {
        current = (current ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// Adds a run of bytes.
    @inlinable
    public mutating func add<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { add(byte: byte) }
    }

    /// FNV-1a 64 of `text`'s UTF-8 bytes.
    @inlinable
    public static func hash(_ text: String) -> UInt64 {
        var h = FNV1a64()
        h.add(bytes: text.utf8)
        return h.value
    }

    /// `value` in lowercase hex, without leading zeros.
    public var hex: String { String(value, radix: 16) }
}
