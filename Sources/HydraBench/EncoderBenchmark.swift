import Encoder
import Foundation
import Numerics

/// The benchmark corpus: `count` sentences of 30 words drawn from a fixed word list by a splitmix64
/// generator seeded with 42. `scripts/bench/encoder_peer.py` builds the identical list.
public func encoderBenchmarkSentences(count: Int) -> [String] {
    let words = benchmarkWords.split(separator: " ").map(String.init)
    var state: UInt64 = 42
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    return (0..<count).map { _ in
        let picked = (0..<30).map { _ in words[Int(next() % UInt64(words.count))] }
        return picked.joined(separator: " ").capitalized(firstOnly: true) + "."
    }
}

/// Encodes 512 benchmark sentences (after a 32-sentence warm-up) with MiniLM, batch 32,
/// tokenization included, and reports throughput and resident memory with the model loaded.
///
/// Beside the default (one batch per core) it times one batch at a time with OpenBLAS spreading
/// each product over the cores, and OpenBLAS's own sgemm rate on the model's largest product
/// shape in the same run: the model costs a fixed number of multiply-adds per token, so that rate
/// bounds any float32 implementation on this machine (`fp32_bound_sentences_per_s`).
/// - Parameter modelDirectory: the `all-MiniLM-L6-v2` folder.
/// - Returns: `sentences_per_s`, `one_batch_at_a_time_sentences_per_s`, `sgemm_gflops`,
///   `fp32_bound_sentences_per_s` and `rss_mb` (VmRSS; 0 where unavailable).
/// - Throws: model loading errors (`EncoderError`, `SafetensorsError`).
public func runEncoderBenchmark(modelDirectory: URL) throws -> [String: Double] {
    let sentences = encoderBenchmarkSentences(count: 512)
    func sentencesPerSecond(_ encoder: MiniLMEncoder) throws -> Double {
        _ = try encoder.encode(Array(sentences.prefix(64)))
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors = try encoder.encode(sentences)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(vectors.count == sentences.count)
        return Double(sentences.count) / seconds
    }
    let serial = try sentencesPerSecond(MiniLMEncoder(modelDirectory: modelDirectory, batchSize: 32, concurrentBatches: 1))
    let encoder = try MiniLMEncoder(modelDirectory: modelDirectory, batchSize: 32)
    let parallel = try sentencesPerSecond(encoder)
    let rss = residentMegabytes()

    let tokensPerSentence = Double(encoder.tokenize(sentences[0]).count)
    let gflops = sgemmGigaflops(rows: 32 * Int(tokensPerSentence), inputs: encoder.dimension,
                                outputs: encoder.feedForwardWidth)
    let bound = gflops * 1e9 / (2 * encoder.multiplyAddsPerToken * tokensPerSentence)
    return [
        "sentences_per_s": parallel, "one_batch_at_a_time_sentences_per_s": serial,
        "sgemm_gflops": gflops, "fp32_bound_sentences_per_s": bound, "rss_mb": rss,
    ]
}

/// OpenBLAS's float32 matrix-product rate, all cores, on an `(rows, inputs) × (inputs, outputs)`
/// product timed over 0.5 s after a warm-up.
func sgemmGigaflops(rows: Int, inputs: Int, outputs: Int) -> Double {
    let a = Matrix(rows: rows, cols: inputs, repeating: 0.5)
    let b = Matrix(rows: outputs, cols: inputs, repeating: 0.25)
    var c = Matrix(rows: rows, cols: outputs, repeating: 0)
    gemm(a, .none, b, .transposed, into: &c)
    var runs = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    repeat {
        gemm(a, .none, b, .transposed, into: &c)
        runs += 1
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < 0.5
    return 2 * Double(rows * inputs * outputs * runs) / elapsed / 1e9
}

private extension String {
    func capitalized(firstOnly: Bool) -> String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}

/// 124 common English words (shared with the Python peer script).
let benchmarkWords = """
the of and to in is was he for it with as his on be at by had are but from or have an they which \
one you were her all she there would their we him been has when who will more no if out so said \
what up its about into than them can only other new some could time these two may then do first \
any my now such like our over man me even most made after also did many before must through back \
years where much your way well down should because each just those people how too little state \
good very make world still own see men work long get here between both life being under never day
"""
