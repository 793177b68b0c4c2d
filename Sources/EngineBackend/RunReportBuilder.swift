import Foundation
import HydraEngine
import LaMP
import WorkbenchAPI

/// The workbench's `RunReport` of a run's results.
enum RunReportBuilder {
    /// The pairs the report tests: HYDRA against the prompt baseline it is usually compared with,
    /// and against its own base-only ablation (does personalization help?).
    static let comparisons: [(method: HydraMethod, baseline: HydraMethod)] = [(.hydra, .rag), (.hydra, .hydraBase)]

    /// - Parameters:
    ///   - golds: the evaluation questions' golds (the dev split's), for per-question metrics.
    ///   - task: the task, which decides the metric.
    static func report(_ results: HydraResults, golds: [Gold], task: LaMPTask) throws -> RunReport {
        var paired: [PairedComparison] = []
        for (method, baseline) in comparisons {
            guard
                let differences = try PairedSignificance.differences(
                    results, method: method, baseline: baseline, golds: golds, task: task)
            else { continue }
            let test = PairedSignificance.test(differences: differences)
            paired.append(PairedComparison(
                method: method.rawValue, baseline: baseline.rawValue, questions: test.questions,
                meanDifference: test.meanDifference, pValue: test.pValue, better: test.better, worse: test.worse,
                ties: test.ties))
        }
        return RunReport(
            primaryMetric: results.primaryMetric, higherIsBetter: results.higherIsBetter,
            methodOrder: HydraMethod.allCases.map(\.rawValue).filter { results.methods[$0] != nil },
            methods: results.methods, bestPromptBaseline: results.bestPromptBaseline,
            relativeImprovement: results.relativeImprovement, userDeltas: results.userDeltas, comparisons: paired,
            timings: results.timings, notes: results.notes)
    }
}
