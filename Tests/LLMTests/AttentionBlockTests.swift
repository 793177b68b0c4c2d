import Basics
import CKernels
import XCTest

/// The tiled prompt attention against causal attention computed in Double, on every path, with
/// and without a shared prefix, across tile edges and with rows that fill no register block.
final class AttentionBlockTests: XCTestCase {
    private struct Case {
        let rows, heads, hs, n1, n2, firstVisible: Int
    }

    /// Row i, head j: softmax over positions [0, firstVisible + i) of q·k * scale, times v.
    private func reference(_ c: Case, q: [Float], k1: [Float], v1: [Float], k2: [Float], v2: [Float],
                           ldq: Int, ldkv: Int, scale: Float) -> [Double] {
        var out = [Double](repeating: 0, count: c.rows * ldq)
        func key(_ t: Int) -> (ArraySlice<Float>, ArraySlice<Float>) {
            t < c.n1 ? (k1[(t * ldkv)..<(t * ldkv + c.hs)], v1[(t * ldkv)..<(t * ldkv + c.hs)])
                : (k2[((t - c.n1) * ldkv)..<((t - c.n1) * ldkv + c.hs)], v2[((t - c.n1) * ldkv)..<((t - c.n1) * ldkv + c.hs)])
        }
        for i in 0..<c.rows {
            for j in 0..<c.heads {
                let qi = q[(i * ldq + j * c.hs)..<(i * ldq + j * c.hs + c.hs)]
                let visible = c.firstVisible + i
                let logits = (0..<visible).map { t in
                    zip(qi, key(t).0).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } * Double(scale)
                }
                let top = logits.max()!
                let weights = logits.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for t in 0..<visible {
                    for (d, value) in key(t).1.enumerated() {
                        out[i * ldq + j * c.hs + d] += weights[t] / total * Double(value)
                    }
                }
            }
        }
        return out
    }

    func testEveryPath_MatchesDoubleReference() {
        let cases = [
            Case(rows: 32, heads: 3, hs: 64, n1: 0, n2: 200, firstVisible: 169),     // a prompt chunk, no prefix
            Case(rows: 7, heads: 3, hs: 64, n1: 70, n2: 7, firstVisible: 71),        // a prefix ending mid-tile
            Case(rows: 5, heads: 3, hs: 64, n1: 128, n2: 130, firstVisible: 254),    // exact tiles, then a tail
            Case(rows: 1, heads: 1, hs: 8, n1: 0, n2: 1, firstVisible: 1),           // one position
            Case(rows: 13, heads: 2, hs: 40, n1: 3, n2: 90, firstVisible: 81),       // 40 = 32 + one 8-column block
            Case(rows: 6, heads: 3, hs: 12, n1: 10, n2: 6, firstVisible: 11),        // not a multiple of 8: plain C
        ]
        var rng = SplitMix64(seed: 15)
        var checked = 0
        for c in cases {
            let (ldq, ldkv) = (c.heads * c.hs + 5, c.hs + 3)  // strides wider than the data, as in the model
            func random(_ count: Int, _ spread: Float) -> [Float] {
                (0..<count).map { _ in Float.random(in: -spread...spread, using: &rng) }
            }
            let q = random(c.rows * ldq, 2)
            let (k1, v1) = (random(max(c.n1, 1) * ldkv, 2), random(max(c.n1, 1) * ldkv, 1))
            let (k2, v2) = (random(c.n2 * ldkv, 2), random(c.n2 * ldkv, 1))
            let scale = 1 / Float(c.hs).squareRoot()
            let want = reference(c, q: q, k1: k1, v1: v1, k2: k2, v2: v2, ldq: ldq, ldkv: ldkv, scale: scale)
            for path: Int32 in [Int32(CK_PATH_PLAIN), Int32(CK_PATH_AVX2), Int32(CK_PATH_AVX512)] {
                var scratch = [Float](repeating: .nan, count: ck_attention_block_scratch(Int32(c.rows), Int32(c.heads), Int32(c.hs)))
                var out = [Float](repeating: -7, count: c.rows * ldq)
                let status = ck_attention_block_path(
                    path, q, Int32(c.rows), Int32(c.heads), Int32(c.hs), Int32(ldq), k1, v1, Int32(c.n1), k2, v2,
                    Int32(c.n2), Int32(ldkv), Int32(c.firstVisible), scale, &scratch, &out, Int32(ldq))
                guard status == 0 else {
                    XCTAssertGreaterThan(path, ck_best_path(), "only a path this CPU lacks may be refused")
                    continue
                }
                checked += 1
                for i in 0..<c.rows {
                    for x in 0..<ldq {
                        let label = "\(c) path \(path) row \(i) column \(x)"
                        if x < c.heads * c.hs {
                            XCTAssertEqual(Double(out[i * ldq + x]), want[i * ldq + x], accuracy: 2e-5, label)
                        } else {
                            XCTAssertEqual(out[i * ldq + x], -7, "the gap between rows is not written: \(label)")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, cases.count, "the plain path runs everywhere")
    }

    func testInconsistentArguments_AreRefused() {
        var scratch = [Float](repeating: 0, count: ck_attention_block_scratch(4, 1, 8))
        var out = [Float](repeating: 0, count: 32)
        let kv = [Float](repeating: 1, count: 80)
        // the last row would see 3 + 4 - 1 = 6 positions, but only 5 exist
        XCTAssertEqual(ck_attention_block(kv, 4, 1, 8, 8, kv, kv, 2, kv, kv, 3, 8, 3, 1, &scratch, &out, 8), -1)
        XCTAssertEqual(ck_attention_block(kv, 4, 1, 8, 8, kv, kv, 2, kv, kv, 3, 8, 0, 1, &scratch, &out, 8), -1)
        XCTAssertEqual(out, [Float](repeating: 0, count: 32), "nothing written")
        XCTAssertEqual(ck_attention_block(kv, 4, 1, 8, 8, kv, kv, 2, kv, kv, 3, 8, 2, 1, &scratch, &out, 8), 0)
    }

    /// Streams sharing a prefix: each segment apart, then merged, equals attention over both at once.
    func testSegmentsMerged_EqualAttentionOverTheWholeContext() {
        var rng = SplitMix64(seed: 16)
        for (rows, n1, n2) in [(4, 1000, 3), (3, 64, 1), (1, 33, 70)] {
            let (heads, hs, ldq, ldkv) = (3, 64, 3 * 64 + 4, 64 + 2)
            func random(_ count: Int, _ spread: Float) -> [Float] {
                (0..<count).map { _ in Float.random(in: -spread...spread, using: &rng) }
            }
            let q = random(rows * ldq, 2)
            let (k1, v1, k2, v2) = (random(n1 * ldkv, 2), random(n1 * ldkv, 1), random(n2 * ldkv, 2), random(n2 * ldkv, 1))
            let scale: Float = 0.125
            let c = Case(rows: rows, heads: heads, hs: hs, n1: n1, n2: n2, firstVisible: n1 + n2)
            for path: Int32 in [Int32(CK_PATH_PLAIN), Int32(CK_PATH_AVX2)] where path <= ck_best_path() {
                var scratch = [Float](repeating: .nan, count: ck_attention_block_scratch(Int32(rows), Int32(heads), Int32(hs)))
                var a = [Float](repeating: 0, count: rows * ldq), b = a
                var lseA = [Float](repeating: 0, count: rows * heads), lseB = lseA
                XCTAssertEqual(ck_attention_segment_path(path, q, Int32(rows), Int32(heads), Int32(hs), Int32(ldq), k1, v1,
                                                         Int32(n1), Int32(ldkv), scale, &scratch, &a, Int32(ldq), &lseA), 0)
                XCTAssertEqual(ck_attention_segment_path(path, q, Int32(rows), Int32(heads), Int32(hs), Int32(ldq), k2, v2,
                                                         Int32(n2), Int32(ldkv), scale, &scratch, &b, Int32(ldq), &lseB), 0)
                ck_attention_merge(&a, &lseA, b, lseB, Int32(rows), Int32(heads), Int32(hs), Int32(ldq), Int32(ldq))
                // every row sees every position: the reference's causal offset cannot apply, so each
                // row is its own one-row case
                for i in 0..<rows {
                    let one = Array(q[(i * ldq)..<((i + 1) * ldq)])
                    let want = reference(Case(rows: 1, heads: heads, hs: hs, n1: n1, n2: n2, firstVisible: n1 + n2),
                                         q: one, k1: k1, v1: v1, k2: k2, v2: v2, ldq: ldq, ldkv: ldkv, scale: scale)
                    for x in 0..<(heads * hs) {
                        XCTAssertEqual(Double(a[i * ldq + x]), want[x], accuracy: 2e-5, "\(c) path \(path) row \(i) column \(x)")
                    }
                    for j in 0..<heads {
                        // the joint log-sum-exp, from the scores in Double
                        let qi = one[(j * hs)..<(j * hs + hs)]
                        let logits = (0..<(n1 + n2)).map { t -> Double in
                            let key = t < n1 ? k1[(t * ldkv)..<(t * ldkv + hs)] : k2[((t - n1) * ldkv)..<((t - n1) * ldkv + hs)]
                            return zip(qi, key).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } * Double(scale)
                        }
                        let top = logits.max()!
                        let joint = top + log(logits.reduce(0.0) { $0 + exp($1 - top) })
                        XCTAssertEqual(Double(lseA[i * heads + j]), joint, accuracy: 1e-4, "\(c) path \(path) lse \(i) \(j)")
                    }
                }
            }
        }
    }
}
