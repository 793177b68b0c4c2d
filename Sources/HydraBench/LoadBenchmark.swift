import Basics
import Foundation
import LaMP
import Retrieval

/// Measures LaMP questions-file loading (`hydra bench load`): throughput in MB/s (best of 3) and
/// the process's peak resident memory against the file size. With no file given it writes a
/// deterministic synthetic LaMP_2 file of about `megabytes` MB (reused when already there), so
/// the Python peer can time `json.load` on exactly the same bytes.
public func runLoadBenchmark(file: URL) throws -> [String: Double] {
    var megabytes = 0.0
    var seconds = Double.infinity
    for _ in 0..<3 {
        let run = try LaMPLoadBenchmark.measure(file: file)
        megabytes = run.megabytes
        seconds = min(seconds, run.seconds)
    }
    let peak = Double(ProcessMemory.peakResidentBytes() ?? 0) / 1e6
    return [
        "load_mb_per_s": megabytes / seconds, "file_mb": megabytes, "peak_rss_mb": peak,
        "peak_rss_over_file_size": peak / megabytes,
    ]
}

/// Writes the synthetic load-benchmark file unless a file of that name exists.
public func ensureSyntheticLoadFile(at file: URL, megabytes: Int) throws {
    guard !FileManager.default.fileExists(atPath: file.path) else { return }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try LaMPWriter.writeQuestions(syntheticQuestions(megabytes: megabytes), task: .movieTag, to: file, asciiOnly: true)
}

extension SplitMix64 {
    /// A value in 0..<n (modulo draw: the benchmark file needs determinism, not uniformity).
    fileprivate mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Questions shaped like LaMP_2 (movie tags): 50-150 item profiles of 20-120 word
/// descriptions. Mostly ASCII like the real files; about 1 word in 50 is non-ASCII (written as
/// `\uXXXX` escapes, as Python's `json.dump` writes them) and a few hold quotes or line breaks.
private func syntheticQuestions(megabytes: Int) -> [Question] {
    var rng = SplitMix64(seed: 42)
    let syllables = ["ka", "lo", "mi", "ner", "sta", "vu", "qui", "dra", "pel", "ton", "ze", "ur", "ans", "bri"]
    var vocabulary: [String] = []
    for _ in 0..<4900 {
        let length = 1 + rng.below(4)
        vocabulary.append((0..<length).map { _ in syllables[rng.below(syllables.count)] }.joined())
    }
    let special = ["café", "naïve", "don’t", "“quoted”", "Zürich", "emoji😀", "\"q\"", "line\nbreak", "back\\slash", "日本"]
    for i in 0..<100 { vocabulary.append(special[i % special.count]) }
    let tags = LaMPTask.movieTag.labels ?? []
    func sentence(_ words: Int) -> String {
        (0..<words).map { _ in vocabulary[rng.below(vocabulary.count)] }.joined(separator: " ")
    }
    var questions: [Question] = []
    var approximateBytes = 0
    var itemID = 0
    while approximateBytes < megabytes * 1_000_000 {
        let q = questions.count
        let profile = (0..<(50 + rng.below(100))).map { _ -> ProfileItem in
            itemID += 1
            return ProfileItem(
                id: String(itemID),
                fields: ["description": sentence(20 + rng.below(100)), "tag": tags[rng.below(tags.count)]])
        }
        approximateBytes += profile.reduce(0) { $0 + 50 + ($1.fields["description"]?.utf8.count ?? 0) }
        let input = "Which tag does this movie relate to among the following tags? Just answer with the tag "
            + "name without further explanation. tags: [\(tags.joined(separator: ", "))] description: "
            + sentence(60)
        questions.append(Question(id: String(1000 + q), input: input, profile: profile))
    }
    return questions
}
