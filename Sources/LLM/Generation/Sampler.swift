import Basics
import Foundation
import LLMInterface

extension SamplingParameters {
    /// Throws `LLMError.invalidParameter` for values the embedded runtime cannot sample with.
    public func validate() throws {
        if !(temperature >= 0 && temperature.isFinite) { throw LLMError.invalidParameter(name: "temperature", value: "\(temperature)") }
        if topK < 0 { throw LLMError.invalidParameter(name: "topK", value: "\(topK)") }
        if !(topP > 0 && topP <= 1) { throw LLMError.invalidParameter(name: "topP", value: "\(topP)") }
        if maxTokens < 0 { throw LLMError.invalidParameter(name: "maxTokens", value: "\(maxTokens)") }
    }
}

extension SplitMix64 {
    /// The sampler's generator: `stream` selects an independent sequence for the same seed (one
    /// per sample of a request), and the first output is discarded.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed &+ stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }
}

/// Draws one token from logits (run.c `sample`): argmax at temperature 0; otherwise divide by the
/// temperature, keep the top-k, softmax, keep the top-p nucleus, and draw with the seeded generator.
/// Same order as llama.cpp's default chain (top-k → top-p → dist), with temperature applied first,
/// which leaves the top-k set and the ranking unchanged.
public struct Sampler: Sendable {
    /// The parameters in use.
    public let parameters: SamplingParameters
    /// Temperature and top-p as the runtime samples with them: rounded to Float, as they always
    /// were, so a seed draws the same tokens as before the runtime took the client's type.
    private let temperature: Float
    private let topP: Float
    private var rng: SplitMix64

    /// A sampler for sample stream `stream` of a request.
    public init(parameters: SamplingParameters, stream: Int = 0) {
        self.parameters = parameters
        temperature = Float(parameters.temperature)
        topP = Float(parameters.topP)
        rng = SplitMix64(seed: parameters.seed, stream: UInt64(stream))
    }

    /// The next token id.
    public mutating func sample(_ logits: [Float]) -> Int {
        if temperature == 0 { return argmax(logits) }
        // softmax at the temperature ("find max value (for numerical stability)"), over the top-k
        // tokens when top-k is set, else over the whole vocabulary
        let t = Double(temperature)
        var candidates: [Int]
        var probabilities = [Double](repeating: 0, count: logits.count)
        if parameters.topK > 0 && parameters.topK < logits.count {
            candidates = Array(Array(logits.indices).partialSorted(parameters.topK) { logits[$0] > logits[$1] })
            let top = Double(logits[candidates[0]])
            var total = 0.0
            for id in candidates {
                probabilities[id] = exp((Double(logits[id]) - top) / t)
                total += probabilities[id]
            }
            for id in candidates { probabilities[id] /= total }
        } else {
            let top = Double(logits[argmax(logits)])
            var total = 0.0
            for i in logits.indices {
                probabilities[i] = exp((Double(logits[i]) - top) / t)
                total += probabilities[i]
            }
            for i in probabilities.indices { probabilities[i] /= total }
            // in decreasing probability; for top-p only tokens that can be in the nucleus, those
            // with probability >= (1 - top_p) / (n - 1) (run.c sample_topp)
            if topP < 1 {
                let cutoff = (1 - Double(topP)) / Double(max(logits.count - 1, 1))
                candidates = logits.indices.filter { probabilities[$0] >= cutoff }
                candidates.sort { probabilities[$0] > probabilities[$1] }
            } else {
                candidates = Array(logits.indices)
            }
        }
        // nucleus: the shortest prefix whose mass, renormalised over the candidates, reaches top-p
        var keep = candidates.count
        if topP < 1 {
            let mass = candidates.reduce(0) { $0 + probabilities[$1] }
            var cumulative = 0.0
            for (i, id) in candidates.enumerated() {
                cumulative += probabilities[id]
                if cumulative >= Double(topP) * mass { keep = i + 1; break }
            }
        }
        let kept = candidates[..<keep].reduce(0) { $0 + probabilities[$1] }
        let r = rng.uniform() * kept
        var cumulative = 0.0
        for id in candidates[..<keep] {
            cumulative += probabilities[id]
            if r < cumulative { return id }
        }
        return candidates[keep - 1]
    }
}

/// Index of the largest element (the first one on ties).
public func argmax(_ x: [Float]) -> Int {
    var best = 0
    for i in x.indices where x[i] > x[best] { best = i }
    return best
}

extension Array {
    /// The first `k` elements in `areInIncreasingOrder` order (a partial selection sort over a heap-free
    /// buffer: fine for k up to a few hundred).
    func partialSorted(_ k: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> ArraySlice<Element> {
        var result: [Element] = []
        result.reserveCapacity(k + 1)
        for e in self {
            if result.count == k, let last = result.last, !areInIncreasingOrder(e, last) { continue }
            var i = result.count
            while i > 0 && areInIncreasingOrder(e, result[i - 1]) { i -= 1 }
            result.insert(e, at: i)
            if result.count > k { result.removeLast() }
        }
        return result[...]
    }
}
