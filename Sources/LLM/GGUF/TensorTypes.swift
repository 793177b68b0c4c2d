/// The GGML tensor element types this runtime decodes, with their block layout.
///
/// Quantized types store `blockSize` elements in `typeSize` bytes (ggml-common.h):
/// - `q4_1`: `{ f16 d; f16 m; u8 qs[16] }`, element j is `d * (qs[j] & 15) + m`, element j + 16 is
///   `d * (qs[j] >> 4) + m`.
/// - `q8_0`: `{ f16 d; i8 qs[32] }`, element j is `d * qs[j]`.
public enum GGMLType: UInt32, Sendable {
    case f32 = 0
    case f16 = 1
    case q4_1 = 3
    case q8_0 = 8
    case bf16 = 30

    /// Elements per block (1 for plain float types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_1, .q8_0: 32
        }
    }

    /// Bytes per block.
    public var typeSize: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_1: 20
        case .q8_0: 34
        }
    }

    /// Bytes taken by `count` elements (a multiple of `blockSize`).
    public func byteCount(elements count: Int) -> Int { count / blockSize * typeSize }

    /// A readable name for any GGML type code, including ones this runtime does not decode.
    public static func name(of code: UInt32) -> String {
        let names: [UInt32: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
            10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 24: "I8",
            25: "I16", 26: "I32", 27: "I64", 28: "F64", 30: "BF16",
        ]
        return names[code].map { "\($0) (\(code))" } ?? "type \(code)"
    }
}

// MARK: - Reference dequantization

/// IEEE half-precision bits to Float (handles subnormals, infinities and NaN).
@inline(__always)
public func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int(h >> 10) & 0x1F
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        // zero or subnormal: mantissa * 2^-24
        let value = Float(mantissa) * 0x1p-24
        return sign == 0 ? value : -value
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
}

/// Decodes `count` elements of `type` starting at `src` into `dst` (the plain, readable path used
/// by tests and for one-off rows such as an embedding lookup).
/// - Precondition: `count` is a multiple of `type.blockSize` and `src` holds its bytes.
public func dequantize(_ type: GGMLType, _ src: UnsafeRawPointer, count: Int, into dst: UnsafeMutablePointer<Float>) {
    precondition(count % type.blockSize == 0)
    switch type {
    case .f32:
        for i in 0..<count { dst[i] = src.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
    case .f16:
        for i in 0..<count { dst[i] = halfToFloat(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
    case .bf16:
        for i in 0..<count {
            dst[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
        }
    case .q4_1:
        for b in 0..<(count / 32) {
            let block = src + b * 20
            let d = halfToFloat(block.loadUnaligned(as: UInt16.self))
            let m = halfToFloat(block.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let out = dst + b * 32
            for j in 0..<16 {
                let q = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                out[j] = d * Float(q & 0x0F) + m
                out[j + 16] = d * Float(q >> 4) + m
            }
        }
    case .q8_0:
        for b in 0..<(count / 32) {
            let block = src + b * 34
            let d = halfToFloat(block.loadUnaligned(as: UInt16.self))
            let out = dst + b * 32
            for j in 0..<32 { out[j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self)) }
        }
    }
}
