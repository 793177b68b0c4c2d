import Foundation
import HydraEngine
import LaMP
import WorkbenchAPI

/// The workbench's `RunReport` of a run's results.
enum RunReportBuilder {
    /// The pairs the report tests: HYDRA against the prompt baseline it is usually compared with,
    /// and against its own base-only ablation (does personalization help?).
    static let comparisons: [(method: HydraMethod, baseline: HydraMethod)] = [
        (.hydra, .rag), (.hydra, .hydraBase), (.hydra, .zeroShot), (.hydraGated, .hydraBase),
    ]

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
        var report = RunReport(
            primaryMetric: results.primaryMetric, higherIsBetter: results.higherIsBetter,
            methodOrder: HydraMethod.allCases.map(\.rawValue).filter { results.methods[$0] != nil },
            methods: results.methods, bestPromptBaseline: results.bestPromptBaseline,
            relativeImprovement: results.relativeImprovement, userDeltas: results.userDeltas, comparisons: paired,
            timings: results.timings, notes: results.notes)
        report.questions = outcomes(results, task: task)
        report.headChanges = results.headInfluence.map {
            HeadChanges(questions: $0.questions, prompts: $0.promptsChanged, picks: $0.picksChanged, answers: $0.answersChanged)
        }
        return report
    }

    /// One outcome per evaluated question that both hydra-base and hydra answered, in the run's
    /// order, scored against the gold its trace keeps.
    static func outcomes(_ results: HydraResults, task: LaMPTask) -> [QuestionOutcome] {
        let metric = QuestionMetric(task: task)
        return results.traces.compactMap { trace in
            guard let base = trace.predictions[HydraMethod.hydraBase.rawValue],
                let personal = trace.predictions[HydraMethod.hydra.rawValue]
            else { return nil }
            // a question the evaluator cannot score (a LaMP_3 gold that is no number) scores 0 for both
            return QuestionOutcome(
                questionID: trace.questionID, userID: trace.userID, basePick: base, personalPick: personal,
                baseScore: metric.signedScore(base, gold: trace.gold) ?? 0,
                personalScore: metric.signedScore(personal, gold: trace.gold) ?? 0)
        }
    }
}
