import WorkbenchAPI

/// A run's results: methods × metrics with the gain over the best prompt baseline, paired
/// significance, and the distribution of per-user Δ personal − base.
public struct ResultsScreen: Screen {
    static let scope = ActionScope.results
    var route: Route { .results }
    public internal(set) var list = ListState()

    init() {}

    func title(_ app: AppModel) -> String { "results" }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        let count = app.run.report?.methodOrder.count ?? 0
        _ = list.apply(action, count: count, height: count)
        return []
    }
}

extension ResultsScreen {
    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        guard let report = app.run.report else {
            let inner = drawPane(&canvas, body, title: "Results", focused: true)
            let text = app.run.isRunning ? "the run is still going (2 shows its stages)" : "no results yet · r runs HYDRA on this session"
            canvas.put(text, x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            return
        }
        let metrics = metricOrder(report)
        let tableHeight = min(body.height / 2, report.methodOrder.count + 3)
        let (top, rest) = body.splitRows(tableHeight)
        let direction = report.higherIsBetter ? "higher is better" : "lower is better"
        let inner = drawPane(&canvas, top, title: "Methods × metrics (primary: \(report.primaryMetric), \(direction))", focused: true)
        var columns = [TableColumn("Method", width: 15)]
        columns += metrics.map { TableColumn($0, width: max(8, $0.count + 1), alignRight: true) }
        columns.append(TableColumn("vs best prompt", width: 15, alignRight: true))
        let table = TableView(columns: columns)
        let best = bestMethod(report)
        table.draw(&canvas, in: inner, state: list, count: report.methodOrder.count, focused: true) { i in
            let method = report.methodOrder[i]
            let values = report.methods[method] ?? [:]
            var cells: [[Span]] = [[Span(method, method == best ? .scoreUp : (method == report.bestPromptBaseline ? .header : .normal))]]
            for metric in metrics {
                let role: StyleRole = metric == report.primaryMetric ? (method == best ? .scoreUp : .normal) : .dim
                cells.append([Span(values[metric].map { fixed($0, 3) } ?? "—", role)])
            }
            if method == report.bestPromptBaseline {
                cells.append([Span("baseline", .dim)])
            } else if let gain = report.relativeImprovement[method] {
                cells.append([Span(signed(gain * 100, 1) + " %", gain > 0 ? .scoreUp : (gain < 0 ? .scoreDown : .dim))])
            } else {
                cells.append([Span("—", .dim)])
            }
            return cells
        }

        let (middle, bottom) = rest.splitRows(min(rest.height / 2, report.comparisons.count + 4))
        let testInner = drawPane(&canvas, middle, title: "Paired significance over questions (randomization test)", focused: false)
        if report.comparisons.isEmpty {
            canvas.put("no paired comparison (the run lacks hydra, rag or hydra-base)", x: testInner.x + 1, y: testInner.y, role: .dim)
        }
        for (i, c) in report.comparisons.prefix(testInner.height).enumerated() {
            let significant = c.pValue < 0.05
            let verdict = significant ? (c.meanDifference > 0 ? "better" : "worse") : "no significant difference"
            let text = "\(column(c.method + " vs " + c.baseline, 22)) Δ \(signed(c.meanDifference, 3)) per question · p = \(fixed(c.pValue, 3)) · \(c.better) better, \(c.worse) worse, \(c.ties) equal of \(c.questions) → \(verdict)"
            canvas.put(text, x: testInner.x + 1, y: testInner.y + i, role: significant ? (c.meanDifference > 0 ? .scoreUp : .scoreDown) : .normal, maxWidth: testInner.width - 2)
        }
        drawDeltas(&canvas, bottom, report)
    }

    /// The primary metric first, then the others alphabetically.
    func metricOrder(_ report: RunReport) -> [String] {
        let all = Set(report.methods.values.flatMap(\.keys))
        return [report.primaryMetric].filter(all.contains) + all.subtracting([report.primaryMetric]).sorted()
    }

    func bestMethod(_ report: RunReport) -> String? {
        let sign = report.higherIsBetter ? 1.0 : -1.0
        return report.methodOrder.filter { report.methods[$0]?[report.primaryMetric] != nil }
            .max { sign * (report.methods[$0]?[report.primaryMetric] ?? 0) < sign * (report.methods[$1]?[report.primaryMetric] ?? 0) }
    }

    /// A histogram of per-user Δ (personal − base, positive = the user's heads helped).
    func drawDeltas(_ canvas: inout Canvas, _ rect: Rect, _ report: RunReport) {
        let deltas = report.userDeltas.values.filter(\.isFinite).sorted()
        let helped = deltas.filter { $0 > 0 }.count, hurt = deltas.filter { $0 < 0 }.count
        let title = "Per-user Δ \(report.primaryMetric) personal − base: \(helped) helped, \(hurt) hurt, \(deltas.count - helped - hurt) equal"
        var inner = drawPane(&canvas, rect, title: title, focused: false)
        if let changes = report.headChanges, inner.height > 1 {
            // why a tie is a tie: heads that change no prompt and no pick cannot change an answer
            let text = "personal vs global heads on the same inputs: prompt items differ on \(changes.prompts), "
                + "picks on \(changes.picks), answers on \(changes.answers) of \(changes.questions) questions"
            canvas.put(text, x: inner.x + 1, y: inner.y, role: changes.answers == 0 ? .dim : .normal, maxWidth: inner.width - 2)
            inner = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        guard let low = deltas.first, let high = deltas.last, inner.height > 0 else {
            canvas.put("no per-user deltas (the run had no hydra and hydra-base pair)", x: inner.x + 1, y: inner.y, role: .dim)
            return
        }
        let bins = max(1, min(inner.height, 11))
        let span = max(high - low, 1e-9)
        var counts = [Int](repeating: 0, count: bins)
        for d in deltas { counts[min(bins - 1, Int((d - low) / span * Double(bins)))] += 1 }
        let maxCount = counts.max() ?? 1
        let labelWidth = 22, barWidth = max(1, inner.width - labelWidth - 8)
        for b in 0..<bins {
            let from = low + span * Double(b) / Double(bins), to = low + span * Double(b + 1) / Double(bins)
            let label = column(signed(from, 3) + " … " + signed(to, 3), labelWidth - 1, alignRight: true)
            let length = counts[b] == 0 ? 0 : max(1, counts[b] * barWidth / maxCount)
            let middle = (from + to) / 2
            let role: StyleRole = low == high ? .dim : (middle < 0 ? .scoreDown : (middle > 0 ? .scoreUp : .dim))
            canvas.put(label, x: inner.x + 1, y: inner.y + b, role: .dim)
            canvas.put(String(repeating: "█", count: length), x: inner.x + labelWidth + 1, y: inner.y + b, role: role)
            canvas.put(" \(counts[b])", x: inner.x + labelWidth + 1 + length, y: inner.y + b, role: .normal)
        }
    }
}
