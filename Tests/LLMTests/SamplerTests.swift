import Basics
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

    func testTopIndices_AreTheFullSortsFirstK_TiesByLowerIndex() {
        var rng = SplitMix64(seed: 11)
        // few distinct values, so ties are everywhere
        let x = (0..<5000).map { _ in Float(Int.random(in: 0..<40, using: &rng)) }
        let sorted = x.indices.sorted { x[$0] != x[$1] ? x[$0] > x[$1] : $0 < $1 }
        for k in [1, 2, 40, 300, 5000] {
            XCTAssertEqual(topIndices(x, k), Array(sorted.prefix(k)), "k \(k)")
        }
        XCTAssertEqual(topIndices(x, 0), [])
        XCTAssertEqual(topIndices([1, .nan, 3], 2), [2, 0], "NaN never enters")
    }

    func testTopK_MatchesRenormalisedFrequencies() {
        // top-2 of {0.5, 0.3, 0.2}: 0.625 and 0.375
        var s = Sampler(parameters: SamplingParameters(temperature: 1, topP: 1, topK: 2, seed: 13))
        var counts = [0, 0, 0]
        for _ in 0..<4000 { counts[s.sample(logits)] += 1 }
        XCTAssertEqual(counts[2], 0)
        XCTAssertEqual(Double(counts[0]) / 4000, 0.625, accuracy: 0.03)
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
