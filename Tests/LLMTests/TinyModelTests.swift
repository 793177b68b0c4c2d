import Basics
import XCTest
@testable import LLM

/// A tiny random Llama with dense weights, checked against a naive Double implementation written
/// out below (the forward pass spelled out once more, position by position).
final class TinyModelTests: XCTestCase {
    private let config = LlamaConfiguration(hiddenSize: 64, intermediateSize: 96, layers: 2, heads: 4, kvHeads: 2,
                                            vocabularySize: 50, ropeTheta: 10000, rmsNormEps: 1e-5)

    private struct Dense {
        var emb: [Float], wq: [[Float]], wk: [[Float]], wv: [[Float]], wo: [[Float]]
        var w1: [[Float]], w2: [[Float]], w3: [[Float]], an: [[Float]], fn: [[Float]], norm: [Float]
    }

    private func random(_ count: Int, _ rng: inout SplitMix64, scale: Float = 0.2) -> [Float] {
        (0..<count).map { _ in Float(rng.uniform() * 2 - 1) * scale }
    }

    private func makeModel() -> (LlamaModel, Dense) {
        var rng = SplitMix64(seed: 77, stream: 0)
        let c = config
        let (d, kv, h, l) = (c.hiddenSize, c.kvDim, c.intermediateSize, c.layers)
        let w = Dense(
            emb: random(c.vocabularySize * d, &rng, scale: 1),
            wq: (0..<l).map { _ in random(d * d, &rng) }, wk: (0..<l).map { _ in random(kv * d, &rng) },
            wv: (0..<l).map { _ in random(kv * d, &rng) }, wo: (0..<l).map { _ in random(d * d, &rng) },
            w1: (0..<l).map { _ in random(h * d, &rng) }, w2: (0..<l).map { _ in random(d * h, &rng) },
            w3: (0..<l).map { _ in random(h * d, &rng) },
            an: (0..<l).map { _ in random(d, &rng, scale: 0.5).map { $0 + 1 } },
            fn: (0..<l).map { _ in random(d, &rng, scale: 0.5).map { $0 + 1 } },
            norm: random(d, &rng, scale: 0.5).map { $0 + 1 })
        func m(_ name: String, _ rows: Int, _ cols: Int, _ v: [Float]) -> WeightMatrix {
            WeightMatrix(name: name, rows: rows, cols: cols, storage: .dense(v))
        }
        let layers = (0..<l).map { i in
            LlamaLayerWeights(attentionNorm: w.an[i], wq: m("q", d, d, w.wq[i]), wk: m("k", kv, d, w.wk[i]),
                              wv: m("v", kv, d, w.wv[i]), wo: m("o", d, d, w.wo[i]), ffnNorm: w.fn[i],
                              w1: m("1", h, d, w.w1[i]), w3: m("3", h, d, w.w3[i]), w2: m("2", d, h, w.w2[i]))
        }
        let emb = m("emb", c.vocabularySize, d, w.emb)
        let weights = LlamaWeights(tokenEmbedding: emb, layers: layers, finalNorm: w.norm, output: emb)
        return (LlamaModel(configuration: c, weights: weights), w)
    }

    /// Naive forward over a whole sequence; returns the logits after every position.
    private func naive(_ tokens: [Int], _ w: Dense) -> [[Double]] {
        let c = config
        let (d, hs, kvMul) = (c.hiddenSize, c.headSize, c.heads / c.kvHeads)
        func matvec(_ m: [Float], _ x: [Double], rows: Int) -> [Double] {
            (0..<rows).map { r in (0..<x.count).reduce(0.0) { $0 + Double(m[r * x.count + $1]) * x[$1] } }
        }
        func rms(_ x: [Double], _ g: [Float]) -> [Double] {
            let s = 1 / (x.reduce(0) { $0 + $1 * $1 } / Double(x.count) + Double(c.rmsNormEps)).squareRoot()
            return x.indices.map { Double(g[$0]) * x[$0] * s }
        }
        func rope(_ v: inout [Double], _ pos: Int) {
            for head in 0..<(v.count / hs) {
                for i in stride(from: 0, to: hs, by: 2) {
                    let a = Double(pos) / pow(Double(c.ropeTheta), Double(i) / Double(hs))
                    let (x0, x1) = (v[head * hs + i], v[head * hs + i + 1])
                    v[head * hs + i] = x0 * cos(a) - x1 * sin(a)
                    v[head * hs + i + 1] = x0 * sin(a) + x1 * cos(a)
                }
            }
        }
        var keys = [[[Double]]](repeating: [], count: c.layers), values = keys
        var out: [[Double]] = []
        for (pos, t) in tokens.enumerated() {
            var x = (0..<d).map { Double(w.emb[t * d + $0]) }
            for l in 0..<c.layers {
                let xb = rms(x, w.an[l])
                var q = matvec(w.wq[l], xb, rows: d), k = matvec(w.wk[l], xb, rows: c.kvDim)
                rope(&q, pos)
                rope(&k, pos)
                keys[l].append(k)
                values[l].append(matvec(w.wv[l], xb, rows: c.kvDim))
                var att = [Double](repeating: 0, count: d)
                for h in 0..<c.heads {
                    let g = h / kvMul
                    let s = (0...pos).map { p in (0..<hs).reduce(0.0) { $0 + q[h * hs + $1] * keys[l][p][g * hs + $1] } / Double(hs).squareRoot() }
                    let e = s.map { exp($0 - s.max()!) }
                    for p in 0...pos { for i in 0..<hs { att[h * hs + i] += e[p] / e.reduce(0, +) * values[l][p][g * hs + i] } }
                }
                let o = matvec(w.wo[l], att, rows: d)
                x = x.indices.map { x[$0] + o[$0] }
                let xf = rms(x, w.fn[l])
                let a = matvec(w.w1[l], xf, rows: c.intermediateSize), b = matvec(w.w3[l], xf, rows: c.intermediateSize)
                let hdn = a.indices.map { a[$0] / (1 + exp(-a[$0])) * b[$0] }
                let f = matvec(w.w2[l], hdn, rows: d)
                x = x.indices.map { x[$0] + f[$0] }
            }
            out.append(matvec(w.emb, rms(x, w.norm), rows: c.vocabularySize))
        }
        return out
    }

    func testForward_TinyDenseModel_MatchesNaiveDouble_ChunkedAndStepwise() throws {
        let (model, w) = makeModel()
        let tokens = [3, 17, 42, 8, 8, 29, 1]
        let expected = naive(tokens, w)
        let state = model.makeState(maxRows: 8, maxContext: 16)
        // whole sequence in one chunk, logits of every row
        var caches = [model.makeCache(capacity: tokens.count)]
        let all = try model.forward(tokens: tokens, streams: Array(repeating: 0, count: tokens.count), caches: &caches,
                                    state: state, logitRows: Array(tokens.indices))
        // the same sequence: a 3-token shared prefix, then two streams decoding the rest together
        var prefix = [model.makeCache(capacity: 3)]
        _ = try model.forward(tokens: Array(tokens[..<3]), streams: [0, 0, 0], caches: &prefix, state: state, logitRows: [])
        // stream caches start with room for one position and grow as tokens arrive
        var streams = [model.makeCache(capacity: 1), model.makeCache(capacity: 1)]
        var stepped: [[Float]] = []
        for t in tokens[3...] {
            let out = try model.forward(tokens: [t, t], streams: [0, 1], caches: &streams, prefix: prefix[0], state: state,
                                        logitRows: [0, 1])
            XCTAssertEqual(out[0], out[1])
            stepped.append(out[0])
        }
        for (p, row) in expected.enumerated() {
            for v in row.indices {
                XCTAssertEqual(Double(all[p][v]), row[v], accuracy: 1e-3, "chunked position \(p) token \(v)")
                if p >= 3 { XCTAssertEqual(Double(stepped[p - 3][v]), row[v], accuracy: 1e-3, "stepped position \(p)") }
            }
        }
    }

    func testPromptMultiplyAdds_CountEveryLayerWeightPerRow_AndTheOutputOnce() {
        let (model, w) = makeModel()
        let layerWeights = [w.wq, w.wk, w.wv, w.wo, w.w1, w.w2, w.w3].joined().reduce(0) { $0 + $1.count }
        XCTAssertEqual(model.promptMultiplyAdds(rows: 3), 3 * layerWeights + w.emb.count)
        // the products alone run on a state's buffers without touching anything else
        let state = model.makeState()
        model.runPromptProducts(rows: 3, state: state)
        XCTAssertFalse(UnsafeBufferPointer(start: state.logits, count: config.vocabularySize).contains { $0.isNaN })
    }

    func testForwardTimings_SplitPrefillAndDecode_AttentionInsideBoth() throws {
        let (model, _) = makeModel()
        let state = model.makeState(maxRows: 8, maxContext: 16)
        XCTAssertEqual(state.timings.snapshot, ForwardTimings.Totals())
        var prompt = [model.makeCache(capacity: 6)]
        _ = try state.timings.measure(.prefill) {
            try model.forward(tokens: [3, 17, 42, 8, 8, 29], streams: Array(repeating: 0, count: 6), caches: &prompt,
                              state: state, logitRows: [5])
        }
        let afterPrefill = state.timings.snapshot
        XCTAssertGreaterThan(afterPrefill.prefill, 0)
        XCTAssertEqual(afterPrefill.decode, 0)
        XCTAssertGreaterThan(afterPrefill.attention, 0)
        XCTAssertLessThan(afterPrefill.attention, afterPrefill.prefill)

        var streams = [model.makeCache(capacity: 1), model.makeCache(capacity: 1)]
        for t in [1, 2, 3] {
            _ = try state.timings.measure(.decode) {
                try model.forward(tokens: [t, t], streams: [0, 1], caches: &streams, prefix: prompt[0], state: state,
                                  logitRows: [0, 1])
            }
        }
        let total = state.timings.snapshot
        XCTAssertEqual(total.prefill, afterPrefill.prefill, "decode passes add nothing to prefill")
        XCTAssertGreaterThan(total.decode, 0)
        XCTAssertGreaterThan(total.attention, afterPrefill.attention)
        XCTAssertLessThan(total.attention, total.prefill + total.decode)
    }
}
