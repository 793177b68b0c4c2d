import Foundation
import LaMP

/// Measures how fast a questions file loads end to end (parse and build the records).
public enum LaMPLoadBenchmark {
    /// Loads `file` once with `LaMPQuestionsReader` and times it.
    ///
    /// - Parameter file: a `{split}_questions.json` file.
    /// - Returns: the file size in megabytes (10^6 bytes) and the seconds the load took;
    ///   `megabytes / seconds` is the throughput to compare with Python's `json.load`
    ///   (`scripts/bench/load_peer.py`).
    /// - Throws: `LaMPDataError` when the file does not load.
    public static func measure(file: URL) throws -> (megabytes: Double, seconds: Double) {
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.intValue ?? 0
        let clock = ContinuousClock()
        var questions: [Question] = []
        let elapsed = try clock.measure {
            questions = try LaMPQuestionsReader.load(file: file)
        }
        withExtendedLifetime(questions) {}
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (Double(bytes) / 1e6, seconds)
    }
}
