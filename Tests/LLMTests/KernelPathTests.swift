import Basics
import CKernels
import XCTest
@testable import LLM

/// Every C code path this CPU supports (plain C, AVX2, AVX-512) against the Swift reference.
final class KernelPathTests: XCTestCase {
    private var paths: [Int32] { Array(0...ck_best_path()) }

    func testMatmul_EveryPath_MatchesSwiftReference() {
        var rng = SplitMix64(seed: 5, stream: 0)
        for type in [GGMLType.q4_1, .q8_0] {
            let (rows, cols) = (9, 64)
            var bytes = [UInt8](repeating: 0, count: rows * cols / 32 * type.typeSize)
            for b in 0..<(rows * cols / 32) {
                let base = b * type.typeSize
                bytes[base] = 0x00; bytes[base + 1] = 0x20  // d = 2^-7
                let start = type == .q4_1 ? 4 : 2
                if type == .q4_1 { bytes[base + 2] = 0x00; bytes[base + 3] = 0xA4 }  // m = -0.0625
                for i in start..<type.typeSize { bytes[base + i] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(name: "w", rows: rows, cols: cols, storage: .quantized(type, raw.baseAddress!))
                for n in [1, 5, 9] {
                    let x = (0..<(n * cols)).map { _ in Float(rng.uniform() - 0.5) }
                    let expected = w.referenceApply(x, n: n)
                    for path in paths {
                        var y = [Float](repeating: .nan, count: n * rows)
                        XCTAssertEqual(ck_matmul_path(path, Int32(type.rawValue), raw.baseAddress!, Int32(cols), 0, Int32(rows),
                                                      x, Int32(cols), Int32(n), &y, Int32(rows)), 0)
                        for i in y.indices { XCTAssertEqual(y[i], expected[i], accuracy: 1e-4, "\(type) path \(path) n \(n)") }
                    }
                }
            }
        }
        var sink: [Float] = [0]
        XCTAssertEqual(ck_matmul_path(0, 12, [UInt8](repeating: 0, count: 64), 32, 0, 1, [Float](repeating: 0, count: 32), 32, 1,
                                      &sink, 1), -1, "Q4_K is refused")
    }

    /// Two heads over a 3-position prefix and a 2-position own segment, against plain Double math.
    func testAttentionRow_EveryPath_MatchesDirectSoftmax() {
        var rng = SplitMix64(seed: 8, stream: 0)
        let (heads, hs, ld) = (2, 16, 24)
        let q = (0..<(heads * hs)).map { _ in Float(rng.uniform() - 0.5) }
        let k = (0..<(5 * ld)).map { _ in Float(rng.uniform() - 0.5) }
        let v = (0..<(5 * ld)).map { _ in Float(rng.uniform() - 0.5) }
        var expected = [Double](repeating: 0, count: heads * hs)
        for h in 0..<heads {
            let s = (0..<5).map { t in (0..<hs).reduce(0.0) { $0 + Double(q[h * hs + $1] * k[t * ld + $1]) } * 0.25 }
            let e = s.map { exp($0 - s.max()!) }
            for t in 0..<5 { for i in 0..<hs { expected[h * hs + i] += e[t] / e.reduce(0, +) * Double(v[t * ld + i]) } }
        }
        for path in paths {
            var out = [Float](repeating: .nan, count: heads * hs)
            var scores = [Float](repeating: 0, count: heads * 5)
            k.withUnsafeBufferPointer { kp in
                v.withUnsafeBufferPointer { vp in
                    let status = ck_attention_row_path(path, q, Int32(heads), Int32(hs), Int32(ld), kp.baseAddress!, vp.baseAddress!, 3,
                                                       kp.baseAddress! + 3 * ld, vp.baseAddress! + 3 * ld, 2, 0.25, &scores, &out)
                    XCTAssertEqual(status, 0)
                }
            }
            for i in out.indices { XCTAssertEqual(Double(out[i]), expected[i], accuracy: 1e-5, "path \(path)") }
        }
    }
}
