import Encoder
import Foundation

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
/// - Parameter modelDirectory: the `all-MiniLM-L6-v2` folder.
/// - Returns: `sentences_per_s` and `rss_mb` (VmRSS from /proc/self/status; 0 where unavailable).
/// - Throws: model loading errors (`EncoderError`, `SafetensorsError`).
public func runEncoderBenchmark(modelDirectory: URL) throws -> [String: Double] {
    try runEncoderBenchmark(modelDirectory: modelDirectory, concurrentBatches: 1)
}

/// `runEncoderBenchmark(modelDirectory:)` with a chosen number of batches run in parallel.
public func runEncoderBenchmark(modelDirectory: URL, concurrentBatches: Int) throws -> [String: Double] {
    let encoder = try MiniLMEncoder(
        modelDirectory: modelDirectory, batchSize: 32, concurrentBatches: concurrentBatches)
    let sentences = encoderBenchmarkSentences(count: 512)
    _ = try encoder.encode(Array(sentences.prefix(32)))
    let start = DispatchTime.now().uptimeNanoseconds
    let vectors = try encoder.encode(sentences)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    precondition(vectors.count == sentences.count)
    return ["sentences_per_s": Double(sentences.count) / seconds, "rss_mb": residentMegabytes()]
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
