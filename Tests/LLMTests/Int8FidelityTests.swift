import XCTest
@testable import LLM

/// The int8 path on the reference prompts, teacher-forced along the oracle's greedy continuation:
/// against the float64 oracle (`smollm2_logits.json`) and against llama.cpp's own logits, which
/// also come from 8-bit activations (`smollm2_llamacpp_logits.json`).
///
/// Measured on the oracle's top-10 ids of every step (240 logits): |int8 − oracle| at most 0.84,
/// 0.16 on average; llama.cpp itself is 0.58 / 0.16 from the oracle, and int8 is 0.97 / 0.17 from
/// llama.cpp (two roundings of the activations, each on its own). So 8-bit activations cost about
/// 0.6-0.8 at worst on these logits, in llama.cpp as here, not the 0.1 the issue hoped for. The
/// worst logit moves with rounding-level changes upstream (0.61 before attention's softmax took a
/// vectorised exp, 0.84 after, one logit; the mean did not move), because a tiny change can flip
/// an activation's int8 rounding; the tolerance leaves room for that. Held:
/// the maxima below, the mean error at most 1.25 times llama.cpp's own, and the greedy id the
/// oracle's wherever the oracle's top-2 margin exceeds 0.2.
final class Int8FidelityTests: XCTestCase {
    static let oracleTolerance = 0.9
    static let llamaCppTolerance = 1.25
    static let meanRatioToLlamaCpp = 1.25
    static let greedyMargin = 0.2

    private struct Step {
        var ids: [Int]
        var oracle: [Double]
        var llamaCpp: [Double]
        var margin: Double
    }

    private func steps(_ name: String) throws -> (prompt: [Int], forced: [Int], steps: [Step]) {
        let oracle = try XCTUnwrap(Fixtures.reference("smollm2_logits.json")["prompts"] as? [[String: Any]])
        let llamaCpp = try XCTUnwrap(Fixtures.reference("smollm2_llamacpp_logits.json")["prompts"] as? [[String: Any]])
        let o = try XCTUnwrap(oracle.first { $0["name"] as? String == name })
        let l = try XCTUnwrap(llamaCpp.first { $0["name"] as? String == name })
        let prompt = try XCTUnwrap(o["prompt_ids"] as? [Int])
        let forced = try XCTUnwrap(o["greedy_ids"] as? [Int])
        XCTAssertEqual(l["prompt_ids"] as? [Int], prompt, "the llama.cpp fixture follows the oracle's prompt")
        XCTAssertEqual(l["forced_ids"] as? [Int], forced, "… and its continuation")
        let oSteps = try XCTUnwrap(o["steps"] as? [[String: Any]])
        let lSteps = try XCTUnwrap(l["steps"] as? [[String: Any]])
        XCTAssertEqual(oSteps.count, lSteps.count)
        let result = try zip(oSteps, lSteps).map { os, ls in
            let top = try XCTUnwrap(os["top10"] as? [[String: Any]])
            let theirs = try XCTUnwrap(ls["oracle_top10"] as? [[String: Any]])
            let ids = try top.map { try XCTUnwrap($0["id"] as? Int) }
            XCTAssertEqual(try theirs.map { try XCTUnwrap($0["id"] as? Int) }, ids)
            return Step(ids: ids, oracle: try top.map { try XCTUnwrap($0["logit"] as? Double) },
                        llamaCpp: try theirs.map { try XCTUnwrap($0["logit"] as? Double) },
                        margin: try XCTUnwrap(os["margin"] as? Double))
        }
        return (prompt, forced, result)
    }

    /// The prompt in one chunk (the GEMM kernel), then one row per step (the mat-vec kernel).
    func testInt8Logits_ReferencePrompts_WithinToleranceOfOracleAndLlamaCpp() throws {
        let model = try Fixtures.int8Model.get()
        XCTAssertEqual(model.precision, .int8)
        var worstOracle = 0.0, worstLlamaCpp = 0.0, llamaCppVsOracle = 0.0
        var sumOracle = 0.0, sumLlamaCpp = 0.0, sumLlamaCppVsOracle = 0.0, count = 0.0
        for name in ["lamp3_rating", "general_poem"] {
            let (prompt, forced, steps) = try steps(name)
            let state = model.makeState(maxRows: 128, maxContext: 256)
            var caches = [model.makeCache(capacity: prompt.count + steps.count)]
            var logits = try model.forward(tokens: prompt, streams: Array(repeating: 0, count: prompt.count), caches: &caches,
                                           state: state, logitRows: [prompt.count - 1])[0]
            for (i, step) in steps.enumerated() {
                for (k, id) in step.ids.enumerated() {
                    let ours = Double(logits[id])
                    worstOracle = max(worstOracle, abs(ours - step.oracle[k]))
                    worstLlamaCpp = max(worstLlamaCpp, abs(ours - step.llamaCpp[k]))
                    llamaCppVsOracle = max(llamaCppVsOracle, abs(step.llamaCpp[k] - step.oracle[k]))
                    sumOracle += abs(ours - step.oracle[k])
                    sumLlamaCpp += abs(ours - step.llamaCpp[k])
                    sumLlamaCppVsOracle += abs(step.llamaCpp[k] - step.oracle[k])
                    count += 1
                    XCTAssertEqual(ours, step.oracle[k], accuracy: Self.oracleTolerance, "\(name) step \(i) id \(id) vs oracle")
                    XCTAssertEqual(ours, step.llamaCpp[k], accuracy: Self.llamaCppTolerance, "\(name) step \(i) id \(id) vs llama.cpp")
                }
                let argmax = logits.indices.max { logits[$0] < logits[$1] }
                if step.margin > Self.greedyMargin { XCTAssertEqual(argmax, forced[i], "\(name) step \(i) greedy") }
                logits = try model.forward(tokens: [forced[i]], streams: [0], caches: &caches, state: state, logitRows: [0])[0]
            }
        }
        XCTAssertLessThanOrEqual(sumOracle / count, Self.meanRatioToLlamaCpp * sumLlamaCppVsOracle / count,
                                 "int8 strays from the oracle more than llama.cpp does, on average")
        print(String(format: "int8 fidelity (oracle top-10 ids, max / mean): |int8 - oracle| %.4f / %.4f, "
                     + "|int8 - llama.cpp| %.4f / %.4f, |llama.cpp - oracle| %.4f / %.4f",
                     worstOracle, sumOracle / count, worstLlamaCpp, sumLlamaCpp / count, llamaCppVsOracle,
                     sumLlamaCppVsOracle / count))
    }
}
