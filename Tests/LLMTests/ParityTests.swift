import XCTest
@testable import LLM

/// The forward pass against `smollm2_logits.json`, a float64 NumPy forward over the exactly
/// dequantized weights: top-10 logits within 0.02 at every step, greedy ids where the margin > 0.05.
final class ParityTests: XCTestCase {
    func testForward_OracleLogits_WithinTolerance() throws {
        let model = try Fixtures.model.get()
        let reference = try Fixtures.reference("smollm2_logits.json")
        let prompts = try XCTUnwrap(reference["prompts"] as? [[String: Any]])
        var worst: Double = 0
        for prompt in prompts {
            let name = prompt["name"] as? String ?? "?"
            let promptIDs = try XCTUnwrap(prompt["prompt_ids"] as? [Int])
            let greedy = try XCTUnwrap(prompt["greedy_ids"] as? [Int])
            let steps = try XCTUnwrap(prompt["steps"] as? [[String: Any]])
            let state = model.makeState(maxRows: 64, maxContext: 256)
            var caches = [model.makeCache(capacity: promptIDs.count + steps.count)]
            // the prompt in two chunks exercises the chunked prefill with a non-empty cache
            let split = promptIDs.count / 2
            _ = try model.forward(tokens: Array(promptIDs[..<split]), streams: Array(repeating: 0, count: split),
                                  caches: &caches, state: state, logitRows: [])
            let rest = Array(promptIDs[split...])
            var logits = try model.forward(tokens: rest, streams: Array(repeating: 0, count: rest.count),
                                           caches: &caches, state: state, logitRows: [rest.count - 1])[0]
            for (i, step) in steps.enumerated() {
                let top = try XCTUnwrap(step["top10"] as? [[String: Any]])
                let margin = try XCTUnwrap(step["margin"] as? Double)
                for entry in top {
                    let id = try XCTUnwrap(entry["id"] as? Int)
                    let expected = try XCTUnwrap(entry["logit"] as? Double)
                    let diff = abs(Double(logits[id]) - expected)
                    worst = max(worst, diff)
                    XCTAssertLessThanOrEqual(diff, 0.02, "\(name) step \(i) token \(id)")
                }
                let argmax = logits.indices.max { logits[$0] < logits[$1] }
                if margin > 0.05 { XCTAssertEqual(argmax, greedy[i], "\(name) step \(i)") }
                // teacher-force the oracle's greedy token, one row (the decode path)
                logits = try model.forward(tokens: [greedy[i]], streams: [0], caches: &caches, state: state,
                                           logitRows: [0])[0]
            }
        }
        print("parity: max |logit - oracle| over all top-10 entries = \(worst)")
    }
}
