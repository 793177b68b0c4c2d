import WorkbenchAPI

/// The cold start curve: the primary metric of the user's heads fitted on their most recent 5,
/// 10, 20, 40 and all history items (mean and spread over seeds), beside the run's base-only
/// and RAG lines. The curve itself is computed by the what-if job (`C`, `:coldstart`).
public struct ColdStartScreen: Screen {
    /// The key of the curve over every evaluation user.
    public static let allUsers = "eval users"

    static let scope = ActionScope.coldStart
    /// A user id, or `allUsers`.
    let key: String
    var route: Route { .coldStart(key) }

    init(key: String) { self.key = key }

    func title(_ app: AppModel) -> String { "cold start · \(DisplayText.clip(key, 30))" }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] { [] }

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        let inner = drawPane(&canvas, body, title: "Cold start: \(DisplayText.clip(key, 30))", focused: true)
        guard let report = app.whatIf.coldStarts[key] else {
            let running = app.whatIf.job.map { $0.kind == .coldStart(key: key) } ?? false
            canvas.put(running ? "fitting heads on growing histories… (x stops)" : "no curve yet: C on a user screen or :coldstart draws it",
                       x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            return
        }
        let better = report.higherIsBetter ? "higher is better" : "lower is better"
        canvas.put("\(report.metric) (\(better)) against history size · \(report.seeds) seeds · users: \(DisplayText.clip(report.userIDs.joined(separator: ", "), 60))",
                   x: inner.x + 1, y: inner.y, role: .header, maxWidth: inner.width - 2)
        let legendRows = 2
        let tableRows = report.points.count + 2
        let plot = Rect(x: inner.x + 8, y: inner.y + 2, width: inner.width - 10, height: max(3, inner.height - 4 - legendRows - tableRows))
        // one value per dot column, straight lines between the sizes (evenly spaced on the axis)
        let columns = max(2, plot.width * 2)
        func line(_ values: [Double]) -> [Float] {
            guard values.count > 1 else { return Array(repeating: Float(values.first ?? .nan), count: columns) }
            return (0..<columns).map { x in
                let t = Double(x) / Double(columns - 1) * Double(values.count - 1)
                let i = min(values.count - 2, Int(t))
                return Float(values[i] + (values[i + 1] - values[i]) * (t - Double(i)))
            }
        }
        let means = line(report.points.map(\.mean)), lows = line(report.points.map(\.low)), highs = line(report.points.map(\.high))
        let base = report.baseOnly.map { Array(repeating: Float($0), count: columns) } ?? []
        let rag = report.rag.map { Array(repeating: Float($0), count: columns) } ?? []
        var chart = BrailleChart(width: plot.width, height: plot.height, covering: [means[...], lows[...], highs[...], base[...], rag[...]], logScale: false)
        chart.band(lower: lows, upper: highs, role: .dim)
        if !base.isEmpty { chart.plot(base[...], role: .plotSeries2) }
        if !rag.isEmpty { chart.plot(rag[...], role: .plotSeries3) }
        chart.plot(means[...], role: .plotSeries1)
        chart.draw(&canvas, x: plot.x, y: plot.y)
        canvas.put(fixed(chart.label(top: true), 3), x: inner.x + 1, y: plot.y, role: .dim, maxWidth: 7)
        canvas.put(fixed(chart.label(top: false), 3), x: inner.x + 1, y: plot.y + plot.height - 1, role: .dim, maxWidth: 7)
        // x ticks: the sizes, spread as the points are
        for (i, point) in report.points.enumerated() {
            let x = plot.x + (report.points.count == 1 ? 0 : i * (plot.width - 1) / (report.points.count - 1))
            let label = i == report.points.count - 1 ? "all" : "\(point.size)"
            canvas.put(label, x: min(x, plot.x + plot.width - label.count), y: plot.y + plot.height, role: .dim)
        }
        var y = plot.y + plot.height + 1
        drawSpans(&canvas, [
            Span("━", .plotSeries1), Span(" hydra (mean, ⣿ spread over seeds)  "), Span("━", .plotSeries2),
            Span(" base only \(report.baseOnly.map { fixed($0, 3) } ?? "n/a")  "), Span("━", .plotSeries3),
            Span(" RAG \(report.rag.map { fixed($0, 3) } ?? "n/a")"),
        ], x: inner.x + 1, y: y, width: inner.width - 2)
        y += 2
        canvas.put(column("items", 8) + column("mean", 8, alignRight: true) + column("min", 8, alignRight: true) + column("max", 8, alignRight: true),
                   x: inner.x + 1, y: y, role: .header, maxWidth: inner.width - 2)
        for (i, point) in report.points.enumerated() where y + 1 + i < inner.y + inner.height {
            let size = i == report.points.count - 1 ? "all (\(point.size))" : "\(point.size)"
            canvas.put(column(size, 8) + column(fixed(point.mean, 3), 8, alignRight: true) + column(fixed(point.low, 3), 8, alignRight: true)
                       + column(fixed(point.high, 3), 8, alignRight: true), x: inner.x + 1, y: y + 1 + i, role: .normal, maxWidth: inner.width - 2)
        }
        let footer = "\(fixed(report.seconds, 0)) s · \(report.newLLMCalls) new LLM calls" + (report.notes.isEmpty ? "" : " · " + report.notes.joined(separator: "; "))
        canvas.put(DisplayText.line(footer), x: inner.x + 1, y: inner.y + inner.height - 1, role: .dim, maxWidth: inner.width - 2)
    }
}
