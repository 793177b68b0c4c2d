import Foundation
import LaMP
import Numerics

/// A paired randomization (sign-flip) test of two methods over the same questions.
///
/// Under the null hypothesis the two methods are exchangeable on every question, so each
/// per-question difference is as likely with either sign. The two-sided p-value is the share of
/// sign assignments whose |sum| is at least the observed |sum|. Zero differences flip to
/// themselves, so only the non-zero ones are flipped: exactly (all 2^m assignments) when there are
/// at most `exactLimit`, else by seeded Monte Carlo with p = (count + 1) / (trials + 1), which
/// never reports an impossible p of 0.
public struct PairedSignificance: Sendable, Equatable, Codable {
    /// Questions compared.
    public var questions: Int
    /// Mean of the differences (positive = the method is better).
    public var meanDifference: Double
    /// Two-sided p-value.
    public var pValue: Double
    /// Questions where the difference is positive, negative, zero.
    public var better: Int
    public var worse: Int
    public var ties: Int
    /// Whether `pValue` came from full enumeration rather than sampling.
    public var exact: Bool

    /// Enumerating 2^16 assignments is instant; beyond that sampling is cheaper and precise enough.
    public static let defaultExactLimit = 16
    public static let defaultTrials = 10_000

    /// Tests `differences` (method − baseline per question, sign-adjusted so positive = better).
    public static func test(
        differences: [Double], exactLimit: Int = defaultExactLimit, trials: Int = defaultTrials, seed: UInt64 = 0
    ) -> PairedSignificance {
        let nonZero = differences.filter { $0 != 0 }
        let observed = abs(nonZero.reduce(0, +))
        // sums of the same numbers in another order can differ in the last bits
        let tolerance = 1e-9 * max(1, nonZero.reduce(0) { $0 + abs($1) })
        var result = PairedSignificance(
            questions: differences.count,
            meanDifference: differences.isEmpty ? 0 : differences.reduce(0, +) / Double(differences.count),
            pValue: 1, better: differences.filter { $0 > 0 }.count, worse: differences.filter { $0 < 0 }.count,
            ties: differences.count - nonZero.count, exact: true)
        guard !nonZero.isEmpty else { return result }
        if nonZero.count <= exactLimit {
            let assignments = 1 << nonZero.count
            var extreme = 0
            for signs in 0..<assignments {
                var sum = 0.0
                for (i, d) in nonZero.enumerated() { sum += signs & (1 << i) != 0 ? -d : d }
                if abs(sum) >= observed - tolerance { extreme += 1 }
            }
            result.pValue = Double(extreme) / Double(assignments)
        } else {
            var rng = SplitMix64(seed: SplitMix64.derivedSeed(seed, "sign-flip"))
            var extreme = 0
            for _ in 0..<trials {
                var sum = 0.0
                for d in nonZero { sum += rng.next() & 1 == 0 ? d : -d }
                if abs(sum) >= observed - tolerance { extreme += 1 }
            }
            result.pValue = Double(extreme + 1) / Double(trials + 1)
            result.exact = false
        }
        return result
    }

    /// Per-question differences of the primary metric, `method` − `baseline`, sign-adjusted so
    /// positive means `method` is better (LaMP_3's MAE is an error). Each question is scored with
    /// the LaMP evaluator on that question alone, as `QuestionInspection` does; only questions
    /// both methods answered count.
    /// - Returns: nil when either method is missing from `results`.
    public static func differences(
        _ results: HydraResults, method: HydraMethod, baseline: HydraMethod, golds: [Gold], task: LaMPTask
    ) throws -> [Double]? {
        guard let ours = results.predictions[method.rawValue], let theirs = results.predictions[baseline.rawValue] else {
            return nil
        }
        let (metric, higherIsBetter) = HydraResults.primaryMetric(for: task)
        let sign: Double = higherIsBetter ? 1 : -1
        let goldByID = Dictionary(golds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let theirsByID = Dictionary(theirs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func score(_ prediction: Gold, _ gold: Gold) throws -> Double {
            try LaMPEvaluator.evaluate(task: task, golds: [gold], predictions: [prediction])[metric] ?? 0
        }
        return try ours.compactMap { prediction in
            guard let gold = goldByID[prediction.id], let other = theirsByID[prediction.id] else { return nil }
            return sign * (try score(prediction, gold) - score(other, gold))
        }
    }
}
