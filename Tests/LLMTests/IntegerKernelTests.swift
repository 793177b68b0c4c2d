import Basics
import CKernels
import XCTest
@testable import LLM

/// The integer products (`ckernels_int8.h`): activation quantization, and every code path this
/// CPU supports against the plain C path and against exact arithmetic.
final class IntegerKernelTests: XCTestCase {
    private var paths: [Int32] { Array(0...ck_int8_best_path()) }

    /// GGML blocks of random quants; scales d = 2^-7 and (Q4_1) m = -2^-4, or random ones.
    private func weights(_ type: GGMLType, rows: Int, cols: Int, powerOfTwoScales: Bool, _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: rows * cols / 32 * type.typeSize)
        for b in 0..<(rows * cols / 32) {
            let base = b * type.typeSize
            let d: UInt16 = powerOfTwoScales ? 0x2000 : 0x1800 + UInt16(rng.next() % 0x0C00)  // 2^-7, or 2^-9 ..< 2^-6
            let m: UInt16 = powerOfTwoScales ? 0xAC00 : 0xA800 + UInt16(rng.next() % 0x0800)  // -2^-4, or -2^-5 ..< -2^-4
            bytes[base] = UInt8(d & 0xFF); bytes[base + 1] = UInt8(d >> 8)
            if type == .q4_1 { bytes[base + 2] = UInt8(m & 0xFF); bytes[base + 3] = UInt8(m >> 8) }
            for i in (type == .q4_1 ? 4 : 2)..<type.typeSize { bytes[base + i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
        return bytes
    }

    /// Quantizes `x` on `path`.
    private func quantize(_ x: [Float], n: Int, cols: Int, path: Int32) -> (q: [Int8], d: [Float], s: [Float]) {
        var q = [Int8](repeating: 0, count: n * cols)
        var d = [Float](repeating: .nan, count: n * cols / 32), s = d
        XCTAssertEqual(ck_int8_quantize_path(path, x, Int32(cols), Int32(n), Int32(cols), &q, &d, &s), 0)
        return (q, d, s)
    }

    /// Y on `path` for packed weights, `ldy` > rows with NaN in the gap so stray writes show.
    private func multiply(_ type: GGMLType, packed: [UInt8], rows: Int, cols: Int, _ a: (q: [Int8], d: [Float], s: [Float]),
                          n: Int, path: Int32) -> [Float] {
        let ldy = rows + 3
        var y = [Float](repeating: .nan, count: n * ldy)
        let status = ck_int8_matmul_path(path, Int32(type.rawValue), packed, Int32(rows), Int32(cols), 0, Int32((rows + 7) / 8),
                                         a.q, a.d, a.s, Int32(n), &y, Int32(ldy))
        XCTAssertEqual(status, 0)
        for j in 0..<n { for r in rows..<ldy { XCTAssertTrue(y[j * ldy + r].isNaN, "path \(path) wrote past row \(rows)") } }
        return (0..<n).flatMap { j in y[(j * ldy)..<(j * ldy + rows)] }
    }

    private func pack(_ type: GGMLType, _ bytes: [UInt8], rows: Int, cols: Int) -> [UInt8] {
        var packed = [UInt8](repeating: 0xEE, count: ck_int8_packed_bytes(Int32(type.rawValue), Int32(rows), Int32(cols)))
        XCTAssertEqual(packed.count, (rows + 7) / 8 * cols / 32 * 8 * type.typeSize, "packing keeps the bytes' count, rows padded to 8")
        XCTAssertEqual(ck_int8_pack(Int32(type.rawValue), bytes, Int32(rows), Int32(cols), &packed), 0)
        return packed
    }

    func testQuantize_EveryPathIdentical_RoundTripWithinHalfAStep() {
        var rng = SplitMix64(seed: 21, stream: 0)
        let (n, cols) = (5, 128)
        var x = (0..<(n * cols)).map { _ in Float(rng.uniform() * 2 - 1) * 3 }
        for k in 32..<64 { x[k] = 0 }             // an all-zero block: scale 0, quants 0
        x[70] = 400                                 // an outlier dominates its block
        let plain = quantize(x, n: n, cols: cols, path: 0)
        for path in paths.dropFirst() {
            let other = quantize(x, n: n, cols: cols, path: path)
            XCTAssertEqual(other.q, plain.q, "path \(path) quants")
            XCTAssertEqual(other.d, plain.d, "path \(path) scales")
            XCTAssertEqual(other.s, plain.s, "path \(path) sums")
        }
        for j in 0..<n {
            for b in 0..<(cols / 32) {
                let block = (j * cols + b * 32)..<(j * cols + b * 32 + 32)
                let d = plain.d[j * cols / 32 + b]
                XCTAssertEqual(d, x[block].map(abs).max()! / 127)
                XCTAssertEqual(plain.s[j * cols / 32 + b], d * Float(plain.q[block].reduce(0) { $0 + Int($1) }))
                for k in block {
                    XCTAssertLessThanOrEqual(abs(plain.q[k]), 127)
                    XCTAssertLessThanOrEqual(abs(Float(plain.q[k]) * d - x[k]), d / 2 * 1.0001, "element \(k)")
                }
            }
        }
        XCTAssertEqual(plain.d[1], 0)
        XCTAssertTrue(plain.q[32..<64].allSatisfy { $0 == 0 })
    }

    /// With power-of-two weight scales and activations that are whole multiples of their scale,
    /// every float operation is exact: each path must give exactly the integer dot products.
    func testMatmul_ExactCase_EveryPathEqualsIntegerArithmetic() {
        var rng = SplitMix64(seed: 22, stream: 0)
        for type in [GGMLType.q4_1, .q8_0] {
            let (rows, cols) = (21, 96)  // a last group of 5 rows
            let bytes = weights(type, rows: rows, cols: cols, powerOfTwoScales: true, &rng)
            let packed = pack(type, bytes, rows: rows, cols: cols)
            for n in [1, 2, 3, 4, 6, 9] {
                // x = integers in [-127, 127] times 2^-3, each block holding a ±127: scale exactly 2^-3
                var x = (0..<(n * cols)).map { _ in Float(Int(rng.next() % 255) - 127) / 8 }
                for start in stride(from: 0, to: x.count, by: 32) { x[start + Int(rng.next() % 32)] = rng.next() % 2 == 0 ? 127 / 8 : -127 / 8 }
                let a = quantize(x, n: n, cols: cols, path: 0)
                XCTAssertTrue(a.d.allSatisfy { $0 == 0.125 })
                var expected = [Float](repeating: 0, count: n * rows)
                for j in 0..<n {
                    for r in 0..<rows {
                        var sum = 0.0
                        for k in 0..<cols {
                            let block = (r * cols + k) / 32 * type.typeSize, e = k % 32
                            let w: Double
                            if type == .q4_1 {
                                let byte = bytes[block + 4 + e % 16]
                                w = Double(e < 16 ? byte & 0x0F : byte >> 4) / 128 - 1.0 / 16
                            } else {
                                w = Double(Int8(bitPattern: bytes[block + 2 + e])) / 128
                            }
                            sum += w * Double(a.q[j * cols + k]) / 8
                        }
                        expected[j * rows + r] = Float(sum)
                    }
                }
                for path in paths {
                    XCTAssertEqual(multiply(type, packed: packed, rows: rows, cols: cols, a, n: n, path: path), expected,
                                   "\(type) path \(path) n \(n)")
                }
            }
        }
    }

    /// Random scales: the paths differ only in the order of float operations; and the result is
    /// within the activation rounding of the float product (|error| <= sum_k |w_k| d_k / 2).
    func testMatmul_RandomScales_PathsAgree_ErrorBoundedByActivationRounding() {
        var rng = SplitMix64(seed: 23, stream: 0)
        for type in [GGMLType.q4_1, .q8_0] {
            let (rows, cols) = (40, 160)
            let bytes = weights(type, rows: rows, cols: cols, powerOfTwoScales: false, &rng)
            let packed = pack(type, bytes, rows: rows, cols: cols)
            let n = 7
            let x = (0..<(n * cols)).map { _ in Float(rng.uniform() * 2 - 1) }
            let a = quantize(x, n: n, cols: cols, path: 0)
            let plain = multiply(type, packed: packed, rows: rows, cols: cols, a, n: n, path: 0)
            for path in paths.dropFirst() {
                let other = multiply(type, packed: packed, rows: rows, cols: cols, a, n: n, path: path)
                for i in plain.indices { XCTAssertEqual(other[i], plain[i], accuracy: 1e-5 * max(1, abs(plain[i])), "\(type) path \(path)") }
            }
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(name: "w", rows: rows, cols: cols, storage: .quantized(type, raw.baseAddress!))
                let exact = w.referenceApply(x, n: n)
                var row = [Float](repeating: 0, count: cols)
                for r in 0..<rows {
                    row.withUnsafeMutableBufferPointer { w.row(r, into: $0.baseAddress!) }
                    for j in 0..<n {
                        let bound = (0..<cols).reduce(0.0) { $0 + Double(abs(row[$1]) * a.d[(j * cols + $1) / 32]) / 2 }
                        XCTAssertLessThanOrEqual(Double(abs(plain[j * rows + r] - exact[j * rows + r])), bound * 1.001 + 1e-5,
                                                 "\(type) row \(r) vector \(j)")
                    }
                }
            }
        }
    }

    /// Through `WeightMatrix`: the int8 matrix gives a row the same bits alone as in any batch
    /// (quantization is per row, and a row's sums do not depend on its neighbours), on both cores.
    func testWeightMatrix_Int8_RowIndependentOfBatch() {
        var rng = SplitMix64(seed: 24, stream: 0)
        let (rows, cols) = (1000, 128)  // enough work to split over both cores
        let bytes = weights(.q4_1, rows: rows, cols: cols, powerOfTwoScales: false, &rng)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(name: "w", rows: rows, cols: cols, storage: .quantized(.q4_1, raw.baseAddress!), precision: .int8)
            XCTAssertNotNil(w.packed)
            let n = 20
            let x = (0..<(n * cols)).map { _ in Float(rng.uniform() * 2 - 1) }
            let scratch = ProductScratch(rows: n, cols: cols)
            var batch = [Float](repeating: 0, count: n * rows), single = [Float](repeating: 0, count: rows)
            batch.withUnsafeMutableBufferPointer { w.apply(x, n: n, into: $0.baseAddress!, ldy: rows, scratch: scratch) }
            for j in [0, 13, 19] {
                let one = Array(x[(j * cols)..<((j + 1) * cols)])
                single.withUnsafeMutableBufferPointer { w.apply(one, n: 1, into: $0.baseAddress!, ldy: rows, scratch: scratch) }
                XCTAssertEqual(Array(batch[(j * rows)..<((j + 1) * rows)]), single, "row \(j)")
            }
        }
    }

    func testUnknownTypeAndPath_AreRefused() {
        var sink: [Float] = [0]
        let q = [Int8](repeating: 0, count: 32), d: [Float] = [0]
        XCTAssertEqual(ck_int8_packed_bytes(12, 8, 32), 0, "Q4_K has no packed form")
        XCTAssertEqual(ck_int8_matmul_path(0, 12, [UInt8](repeating: 0, count: 256), 8, 32, 0, 1, q, d, d, 1, &sink, 8), -1)
        XCTAssertEqual(ck_int8_matmul_path(ck_int8_best_path() + 1, 3, [UInt8](repeating: 0, count: 160), 8, 32, 0, 1, q, d, d, 1,
                                           &sink, 8), -1, "a path this CPU lacks")
    }
}
