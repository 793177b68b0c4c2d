import Basics
import XCTest
@testable import LLM

final class TensorTypeTests: XCTestCase {
    private func half(_ f: Float) -> [UInt8] {
        // exact for the small values used here: sign, exponent, 10-bit mantissa
        let bits = f.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF) - 127 + 15
        let h: UInt16 = f == 0 ? sign : sign | UInt16(exponent) << 10 | UInt16((bits >> 13) & 0x3FF)
        return [UInt8(h & 0xFF), UInt8(h >> 8)]
    }

    func testHalfToFloat_SpecialValues() {
        XCTAssertEqual(halfToFloat(0x3C00), 1)
        XCTAssertEqual(halfToFloat(0xC000), -2)
        XCTAssertEqual(halfToFloat(0x0001), 0x1p-24)
        XCTAssertEqual(halfToFloat(0x7C00), .infinity)
        XCTAssertTrue(halfToFloat(0x7E00).isNaN)
        XCTAssertEqual(halfToFloat(0x8000).sign, .minus)
    }

    func testDequantizeQ4_1_HandMadeBlock() {
        // d = 0.5, m = -1; low nibble j, high nibble 15 - j
        let block = half(0.5) + half(-1) + (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        var out = [Float](repeating: .nan, count: 32)
        block.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { dequantize(.q4_1, src.baseAddress!, count: 32, into: $0.baseAddress!) } }
        for j in 0..<16 {
            XCTAssertEqual(out[j], 0.5 * Float(j) - 1)
            XCTAssertEqual(out[j + 16], 0.5 * Float(15 - j) - 1)
        }
    }

    func testDequantizeQ8_0_HandMadeBlock() {
        let block = half(0.25) + (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        var out = [Float](repeating: .nan, count: 32)
        block.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { dequantize(.q8_0, src.baseAddress!, count: 32, into: $0.baseAddress!) } }
        XCTAssertEqual(out, (0..<32).map { 0.25 * Float($0 - 16) })
    }

    func testDequantizeF16AndBF16AndF32() {
        var out = [Float](repeating: .nan, count: 2)
        let f16 = half(1.5) + half(-0.125)
        f16.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { dequantize(.f16, src.baseAddress!, count: 2, into: $0.baseAddress!) } }
        XCTAssertEqual(out, [1.5, -0.125])
        let bf16: [UInt8] = [0xC0, 0x3F, 0x00, 0xC1]  // 1.5, -8
        bf16.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { dequantize(.bf16, src.baseAddress!, count: 2, into: $0.baseAddress!) } }
        XCTAssertEqual(out, [1.5, -8])
        let f32 = withUnsafeBytes(of: Float(3.25)) { Array($0) } + withUnsafeBytes(of: Float(-1)) { Array($0) }
        f32.withUnsafeBytes { src in out.withUnsafeMutableBufferPointer { dequantize(.f32, src.baseAddress!, count: 2, into: $0.baseAddress!) } }
        XCTAssertEqual(out, [3.25, -1])
    }

    /// The SIMD kernels (mat-vec tiles and dequantize + sgemm) against the plain Swift path.
    func testKernels_MatchReferencePath_ForQ4_1AndQ8_0() {
        var rng = SplitMix64(seed: 11, stream: 0)
        for type in [GGMLType.q4_1, .q8_0] {
            let (rows, cols) = (70, 96)
            var bytes = [UInt8](repeating: 0, count: rows * cols / 32 * type.typeSize)
            for b in 0..<(rows * cols / 32) {
                let scale = half(Float(rng.next() % 100 + 1) / 1000)
                let offset = half(-Float(rng.next() % 100) / 200)
                let base = b * type.typeSize
                bytes[base] = scale[0]; bytes[base + 1] = scale[1]
                var start = 2
                if type == .q4_1 { bytes[base + 2] = offset[0]; bytes[base + 3] = offset[1]; start = 4 }
                for i in start..<type.typeSize { bytes[base + i] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(name: "w", rows: rows, cols: cols, storage: .quantized(type, raw.baseAddress!))
                for n in [1, 3, 5, 17] {
                    let x = (0..<(n * cols)).map { _ in Float(rng.uniform() * 2 - 1) }
                    let expected = w.referenceApply(x, n: n)
                    var y = [Float](repeating: 0, count: n * rows)
                    let scratch = ProductScratch(rows: n, cols: cols)
                    y.withUnsafeMutableBufferPointer { yp in
                        w.apply(x, n: n, into: yp.baseAddress!, ldy: rows, scratch: scratch)
                    }
                    for i in y.indices { XCTAssertEqual(y[i], expected[i], accuracy: 1e-4, "\(type) n=\(n) at \(i)") }
                }
            }
        }
    }
}
