import Foundation
import LaMP

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// Writes results as Markdown, JSON and CSV, and predictions in LaMP's outputs format.
public enum ResultsReport {
    /// The methods present, in the canonical order.
    static func methodOrder(_ results: HydraResults) -> [String] {
        HydraMethod.allCases.map(\.rawValue).filter { results.methods[$0] != nil }
    }

    /// The metric names present, sorted.
    static func metricNames(_ results: HydraResults) -> [String] {
        Array(Set(results.methods.values.flatMap(\.keys))).sorted()
    }

    /// The method table as Markdown (metrics, and Δ vs the best prompt baseline), then the
    /// per-user deltas and timings.
    public static func markdown(_ results: HydraResults) -> String {
        let metrics = metricNames(results)
        var lines = ["# HYDRA results · \(results.task)", ""]
        lines.append("| method | " + metrics.joined(separator: " | ") + " | Δ vs best prompt baseline |")
        lines.append("| --- |" + String(repeating: " ---: |", count: metrics.count + 1))
        for method in methodOrder(results) {
            let values = metrics.map { results.methods[method]?[$0].map { String(format: "%.4f", $0) } ?? "" }
            let delta = results.relativeImprovement[method].map { String(format: "%+.1f%%", $0 * 100) } ?? ""
            lines.append("| \(method) | " + values.joined(separator: " | ") + " | \(delta) |")
        }
        if let best = results.bestPromptBaseline {
            lines.append("")
            lines.append("Best prompt-based baseline: \(best) (by \(results.primaryMetric)).")
        }
        let oracleMethods = methodOrder(results).filter { results.oracle[$0] != nil }
        if !oracleMethods.isEmpty {
            lines.append("")
            lines.append("Oracle@N: the best candidate of each method's pool against the gold (the headroom of a perfect adapter).")
            lines.append("")
            lines.append("| method | \(results.primaryMetric) | oracle@N | gap |")
            lines.append("| --- | ---: | ---: | ---: |")
            for method in oracleMethods {
                let value = results.methods[method]?[results.primaryMetric]
                let oracle = results.oracle[method]?[results.primaryMetric]
                let gap = zip2(value, oracle).map { String(format: "%+.4f", $0.1 - $0.0) } ?? ""
                lines.append("| \(method) | \(value.map { String(format: "%.4f", $0) } ?? "") | "
                    + "\(oracle.map { String(format: "%.4f", $0) } ?? "") | \(gap) |")
            }
        }
        if !results.paired.isEmpty {
            lines.append("")
            lines.append("| paired test (\(results.primaryMetric)) | Δ per question | p | better | worse | equal |")
            lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
            for pair in results.paired {
                let t = pair.test
                lines.append("| \(pair.method) vs \(pair.baseline) | \(String(format: "%+.4f", t.meanDifference)) | "
                    + "\(String(format: "%.3f", t.pValue)) | \(t.better) | \(t.worse) | \(t.ties) |")
            }
        }
        if let influence = results.headInfluence {
            lines.append("")
            lines.append("What the personal heads changed against the global heads on the same inputs, of \(influence.questions) questions: "
                + "the prompt's items on \(influence.promptsChanged), the adapter's pick on \(influence.picksChanged), "
                + "the answer (hydra vs hydra-base) on \(influence.answersChanged).")
        }
        if let selection = results.selection {
            lines.append("")
            if let fallback = selection.fallback {
                lines.append("Held-out selection: \(fallback); the defaults were used (\(selection.labels.rawValue) labels).")
            } else {
                lines.append("Held-out selection on \(selection.heldOutQuestions) questions of \(selection.heldOutUsers.count) held-out training users "
                    + "(chosen: \(selection.labels.rawValue) labels, \(selection.epochs) epochs, learning rate \(selection.learningRate)):")
                lines.append("")
                lines.append("| labels | epochs | learning rate | held-out \(results.primaryMetric) |")
                lines.append("| --- | ---: | ---: | ---: |")
                for trial in selection.trials {
                    lines.append("| \(trial.labels.rawValue) | \(trial.epochs) | \(trial.learningRate) | \(String(format: "%.4f", trial.score)) |")
                }
            }
        }
        if let fit = results.fitSelection, !fit.trials.isEmpty {
            lines.append("")
            lines.append("Fit selection on the evaluation users' own held-out pseudo-queries (\(fit.rerankerCases) reranker, \(fit.adapterCases) adapter; "
                + "chosen: reranker heads \(fit.reranker.epochs) epochs at \(fit.reranker.learningRate), adapter heads \(fit.adapter.epochs) epochs at \(fit.adapter.learningRate)):")
            lines.append("")
            lines.append("| fit epochs | learning rate | reranker: top-r items' \(results.primaryMetric) | adapter: pick's \(results.primaryMetric) |")
            lines.append("| ---: | ---: | ---: | ---: |")
            func cell(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
            for trial in fit.trials {
                lines.append("| \(trial.epochs) | \(trial.learningRate) | \(cell(trial.rerankerScore)) | \(cell(trial.adapterScore)) |")
            }
        }
        if !results.gate.isEmpty {
            let kept = results.gate.values.filter(\.usesPersonal).count
            let keptReranker = results.gate.values.filter { $0.reranker?.usesPersonal == true }.count
            lines.append("")
            lines.append("hydra-gated: personal adapter heads kept for \(kept) of \(results.gate.count) evaluation users"
                + (results.gate.values.contains { $0.reranker != nil } ? ", personal reranker heads for \(keptReranker)." : "."))
        }
        let notes = results.notes
        if !notes.isEmpty {
            lines.append("")
            for note in notes { lines.append("- \(note)") }
        }
        if !results.userDeltas.isEmpty {
            let deltas = results.userDeltas.values
            let better = deltas.filter { $0 > 0 }.count, worse = deltas.filter { $0 < 0 }.count
            let mean = deltas.reduce(0, +) / Double(deltas.count)
            lines.append("")
            lines.append("Per-user \(results.primaryMetric) delta, hydra − hydra-base (positive = personal heads help): "
                + String(format: "mean %+.4f; better for %d users, worse for %d, equal for %d.", mean, better, worse,
                         deltas.count - better - worse))
        }
        lines.append("")
        lines += stageTable(results)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds per stage and, when the LLM's client keeps totals, what each stage asked of it:
    /// calls, cache hits, tokens, tokens/s and the shares of the stage's time in prefill, decode
    /// and attention (attention is part of the other two).
    static func stageTable(_ results: HydraResults) -> [String] {
        let figures = results.stageLLMFigures
        guard !figures.isEmpty else {
            var lines = ["| stage | seconds |", "| --- | ---: |"]
            for stage in HydraStage.allCases {
                if let t = results.timings[stage.rawValue] { lines.append("| \(stage.rawValue) | \(String(format: "%.1f", t)) |") }
            }
            return lines
        }
        func share(_ value: Double?) -> String { value.map { String(format: "%.0f%%", $0 * 100) } ?? "" }
        var lines = [
            "| stage | seconds | LLM calls | cache hits | prompt tokens | generated tokens | tokens/s | prefill | decode | attention |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for stage in HydraStage.allCases {
            guard let t = results.timings[stage.rawValue] else { continue }
            var cells = [stage.rawValue, String(format: "%.1f", t)]
            if let f = figures[stage.rawValue] {
                cells += [
                    "\(f.usage.calls)", "\(f.usage.cacheHits)", "\(f.usage.promptTokens)", "\(f.usage.generatedTokens)",
                    String(format: "%.0f", f.tokensPerSecond), share(f.prefillShare), share(f.decodeShare),
                    share(f.attentionShare),
                ]
            } else {
                cells += Array(repeating: "", count: 8)
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("LLM calls: calls the backend served (cache hits not included); tokens/s: prompt and generated "
            + "tokens per second of the stage; prefill, decode: shares of the stage's time in forward passes over "
            + "given tokens and over sampled tokens; attention: the part of both spent in attention.")
        return lines
    }

    /// One CSV row per (scope, method, metric): scope is `all`, `oracle` (oracle@N) or a user id.
    public static func csv(_ results: HydraResults) -> String {
        var lines = ["scope,method,metric,value"]
        for method in methodOrder(results) {
            for (metric, value) in (results.methods[method] ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append("all,\(method),\(metric),\(value)")
            }
            for (metric, value) in (results.oracle[method] ?? [:]).sorted(by: { $0.key < $1.key }) {
                lines.append("oracle,\(method),\(metric),\(value)")
            }
        }
        for user in results.users.keys.sorted() {
            for method in methodOrder(results) {
                for (metric, value) in (results.users[user]?[method] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    lines.append("\(user),\(method),\(metric),\(value)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `results.md`, `results.json`, `results.csv` and `predictions/<method>.json`.
    public static func write(_ results: HydraResults, task: LaMPTask, to directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory.appendingPathComponent("predictions"), withIntermediateDirectories: true)
        try Data(markdown(results).utf8).write(to: directory.appendingPathComponent("results.md"))
        try Data(csv(results).utf8).write(to: directory.appendingPathComponent("results.csv"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(results).write(to: directory.appendingPathComponent("results.json"))
        for (method, predictions) in results.predictions {
            try LaMPWriter.writeOutputs(
                predictions, task: task, to: directory.appendingPathComponent("predictions/\(method).json"))
        }
    }
}
