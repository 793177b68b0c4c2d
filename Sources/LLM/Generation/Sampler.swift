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
        // tokens when top-k is set, else over the whole vocabulary; `probabilities[i]` belongs to
        // `candidates[i]`, so a top-k draw touches k numbers, not the vocabulary
        let t = Double(temperature)
        var candidates: [Int]
        var probabilities: [Double]
        if parameters.topK > 0 && parameters.topK < logits.count {
            candidates = topIndices(logits, parameters.topK)
            let top = Double(logits[candidates[0]])
            probabilities = candidates.map { exp((Double(logits[$0]) - top) / t) }
            let total = probabilities.reduce(0, +)
            for i in probabilities.indices { probabilities[i] /= total }
        } else {
            let top = Double(logits[argmax(logits)])
            var all = [Double](repeating: 0, count: logits.count)
            var total = 0.0
            for i in logits.indices {
                all[i] = exp((Double(logits[i]) - top) / t)
                total += all[i]
            }
            for i in all.indices { all[i] /= total }
            // in decreasing probability; for top-p only tokens that can be in the nucleus, those
            // with probability >= (1 - top_p) / (n - 1) (run.c sample_topp)
            if topP < 1 {
                let cutoff = (1 - Double(topP)) / Double(max(logits.count - 1, 1))
                candidates = logits.indices.filter { all[$0] >= cutoff }
                candidates.sort { all[$0] > all[$1] }
                probabilities = candidates.map { all[$0] }
            } else {
                candidates = Array(logits.indices)
                probabilities = all
            }
        }
        // nucleus: the shortest prefix whose mass, renormalised over the candidates, reaches top-p
        var keep = candidates.count
        if topP < 1 {
            let mass = probabilities.reduce(0, +)
            var cumulative = 0.0
            for (i, p) in probabilities.enumerated() {
                cumulative += p
                if cumulative >= Double(topP) * mass { keep = i + 1; break }
            }
        }
        let kept = probabilities[..<keep].reduce(0, +)
        let r = rng.uniform() * kept
        var cumulative = 0.0
        for i in 0..<keep {
            cumulative += probabilities[i]
            if r < cumulative { return candidates[i] }
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

/// Indices of the `k` largest values, largest first, ties by lower index (a partial insertion
/// sort: one comparison per element once the k are found, fine for k up to a few hundred). NaN
/// values are never chosen.
public func topIndices(_ x: [Float], _ k: Int) -> [Int] {
    var ids: [Int] = [], values: [Float] = []
    ids.reserveCapacity(k + 1)
    values.reserveCapacity(k + 1)
    guard k > 0 else { return ids }
    x.withUnsafeBufferPointer { x in
        for i in x.indices {
            let v = x[i]
            if v.isNaN || ids.count == k && !(v > values[k - 1]) { continue }
            var at = ids.count
            while at > 0 && v > values[at - 1] { at -= 1 }
            ids.insert(i, at: at)
            values.insert(v, at: at)
            if ids.count > k {
                ids.removeLast()
                values.removeLast()
            }
        }
    }
    return ids
}
