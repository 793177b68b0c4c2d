import Foundation
import HydraEngine
import LaMP

/// The task's primary metric of one prediction, scored by the LaMP evaluator on that question
/// alone (as `PairedSignificance` and `QuestionInspection` score questions).
struct QuestionMetric {
    let task: LaMPTask

    var name: String { HydraResults.primaryMetric(for: task).name }
    var higherIsBetter: Bool { HydraResults.primaryMetric(for: task).higherIsBetter }

    /// The metric of `prediction` against `gold`; nil when the evaluator gives none (a LaMP_3 gold
    /// that is not a number) or a non-finite one.
    func score(_ prediction: String, gold: String) -> Double? {
        let id = "q"
        let value = try? LaMPEvaluator.evaluate(task: task, golds: [Gold(id: id, output: gold)], predictions: [Gold(id: id, output: prediction)])[name]
        return value.flatMap { $0.isFinite ? $0 : nil }
    }

    /// `score`, signed so that larger is better (MAE becomes −MAE).
    func signedScore(_ prediction: String, gold: String) -> Double? {
        score(prediction, gold: gold).map { higherIsBetter ? $0 : -$0 }
    }
}
