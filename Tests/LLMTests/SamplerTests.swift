import LLMInterface
import XCTest
@testable import LLM

final class SamplerTests: XCTestCase {
    private let logits: [Float] = [log(0.5), log(0.3), log(0.2)]

    func testGreedy_IsArgmax() {
        var s = Sampler(parameters: .greedy())
        XCTAssertEqual(s.sample([0.1, 2, -1, 2]), 1)
    }

    func testTemperatureOne_MatchesSoftmaxFrequencies() {
        var s = Sampler(parameters: SamplingParameters(temperature: 1, topP: 1, seed: 3))
        var counts = [0, 0, 0]
        for _ in 0..<4000 { counts[s.sample(logits)] += 1 }
        for (c, p) in zip(counts, [0.5, 0.3, 0.2]) { XCTAssertEqual(Double(c) / 4000, p, accuracy: 0.03) }
    }

    func testTopP_DropsTail() {
        var s = Sampler(parameters: SamplingParameters(temperature: 1, topP: 0.6, seed: 5))
        var counts = [0, 0, 0]
        for _ in 0..<2000 { counts[s.sample(logits)] += 1 }
        XCTAssertEqual(counts[2], 0)
        XCTAssertEqual(Double(counts[0]) / 2000, 0.5 / 0.8, accuracy: 0.04)
    }

    func testTopK_One_IsGreedy() {
        var s = Sampler(parameters: SamplingParameters(temperature: 5, topP: 1, topK: 1, seed: 9))
        for _ in 0..<100 { XCTAssertEqual(s.sample(logits), 0) }
    }

    func testSeed_Reproducible_AndStreamsDiffer() {
        let p = SamplingParameters(temperature: 1, topP: 1, seed: 42)
        let uniform = [Float](repeating: 0, count: 1000)
        var a = Sampler(parameters: p), b = Sampler(parameters: p), c = Sampler(parameters: p, stream: 1)
        let da = (0..<50).map { _ in a.sample(uniform) }
        XCTAssertEqual(da, (0..<50).map { _ in b.sample(uniform) })
        XCTAssertNotEqual(da, (0..<50).map { _ in c.sample(uniform) })
    }

    func testInvalidParameters_Throw() {
        XCTAssertThrowsError(try SamplingParameters(temperature: -1).validate())
        XCTAssertThrowsError(try SamplingParameters(topP: 0).validate())
        XCTAssertThrowsError(try SamplingParameters(topK: -2).validate())
    }

    func testStopString_CutsText() {
        var t = StreamText()
        t.append(1, Array("Hello wor".utf8))
        XCTAssertFalse(t.cutAtStop(["world"]))
        t.append(2, Array("ld and more".utf8))
        XCTAssertTrue(t.cutAtStop(["world", "and"]))
        XCTAssertEqual(t.text, "Hello ")
    }
}
