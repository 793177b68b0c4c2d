@testable import LLM

/// Writes small GGUF images for tests (little-endian, as the format requires).
struct GGUFBuilder {
    var version: UInt32 = 3
    var metadata: [(String, UInt32, [UInt8])] = []
    var tensors: [(name: String, dims: [UInt64], type: UInt32, data: [UInt8])] = []
    var alignment = 32

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    static func string(_ s: String) -> [UInt8] { le(UInt64(s.utf8.count)) + Array(s.utf8) }

    mutating func add(_ key: String, uint32 v: UInt32) { metadata.append((key, 4, Self.le(v))) }
    mutating func add(_ key: String, float32 v: Float) { metadata.append((key, 6, Self.le(v.bitPattern))) }
    mutating func add(_ key: String, string v: String) { metadata.append((key, 8, Self.string(v))) }
    mutating func add(_ key: String, type: UInt32, raw: [UInt8]) { metadata.append((key, type, raw)) }

    /// The file bytes: header, metadata, tensor infos, padding, data.
    func build() -> [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8) + Self.le(version) + Self.le(UInt64(tensors.count)) + Self.le(UInt64(metadata.count))
        for (k, t, v) in metadata { out += Self.string(k) + Self.le(t) + v }
        var offset = 0
        var data: [UInt8] = []
        for t in tensors {
            out += Self.string(t.name) + Self.le(UInt32(t.dims.count))
            for d in t.dims { out += Self.le(d) }
            out += Self.le(t.type) + Self.le(UInt64(offset))
            data += t.data
            while data.count % alignment != 0 { data.append(0) }
            offset = data.count
        }
        while out.count % alignment != 0 { out.append(0) }
        return out + data
    }
}
