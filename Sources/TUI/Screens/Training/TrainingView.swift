import WorkbenchAPI

extension TrainingScreen {
    static let table = TableView(columns: [
        TableColumn("Series"), TableColumn("Steps", width: 7, alignRight: true), TableColumn("EMA", width: 7, alignRight: true),
    ])

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        let layout = TrainingLayout(body)
        let losses = app.run.losses
        let listInner = drawPane(&canvas, layout.list, title: "Loss series", focused: true)
        drawBorderLabel(&canvas, layout.list, position(list, losses.curves.count))
        var state = list
        state.keepVisible(height: TableView.bodyHeight(listInner), count: losses.curves.count)
        let empty = app.run.isRunning ? "waiting for the first step…" : "no training yet (r runs HYDRA)"
        Self.table.draw(&canvas, in: listInner, state: state, count: losses.curves.count, focused: true, empty: empty) { i in
            let c = losses.curves[i]
            let done = c.steps >= c.totalSteps
            return [[Span(DisplayText.line(c.id.name), done ? .normal : .highlight)], [Span("\(c.steps)")], [Span(fixed(Double(c.ema), 3))]]
        }

        let plotInner = drawPane(&canvas, layout.plot, title: "Loss · \(mode.label) · \(window.label) · \(logScale ? "log" : "linear")", focused: false)
        if let rate = losses.stepsPerSecond { drawBorderLabel(&canvas, layout.plot, fixed(rate, 0) + " steps/s") }
        guard let curve = selected(app), plotInner.height > 4, plotInner.width > 20 else {
            canvas.put("keys: j/k series · m mode · M reranker/adapter heads · w window · y log scale · :export-loss FILE", x: plotInner.x + 1, y: plotInner.y, role: .dim, maxWidth: plotInner.width - 2)
            return
        }
        switch mode {
        case .selected: drawSelected(&canvas, plotInner, curve: curve, app)
        case .smallMultiples: drawMultiples(&canvas, plotInner, app)
        case .meanSpread: drawSpread(&canvas, plotInner, app)
        }
    }

    /// One series, raw and smoothed, with its y range and progress.
    func drawSelected(_ canvas: inout Canvas, _ rect: Rect, curve: LossCurve, _ app: AppModel) {
        var info = "\(DisplayText.line(curve.id.name)) · step \(curve.steps)/\(curve.totalSteps) · loss \(fixed(Double(curve.lastLoss), 4)) · EMA \(fixed(Double(curve.ema), 4))"
        if curve.stride > 1 { info += " · 1 point = \(curve.stride) steps" }
        if let rate = app.run.losses.stepsPerSecond, curve.steps < curve.totalSteps, rate > 0 {
            info += " · left ≈ " + duration(Double(curve.totalSteps - curve.steps) / rate)
        }
        canvas.put(info, x: rect.x + 1, y: rect.y, role: .header, maxWidth: rect.width - 2)
        canvas.put("━ raw", x: rect.x + 1, y: rect.y + 1, role: .plotSeries1)
        canvas.put("━ smoothed (EMA \(fixed(Double(LossCurve.smoothing), 2)))", x: rect.x + 8, y: rect.y + 1, role: .plotSeries2)
        let area = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        let (raw, smooth) = curve.window(lastSteps: window.steps)
        drawChart(&canvas, area, series: [(raw, .plotSeries1), (smooth, .plotSeries2)], band: nil)
    }

    /// Every head of `headsModel` as a small plot of its smoothed loss.
    func drawMultiples(_ canvas: inout Canvas, _ rect: Rect, _ app: AppModel) {
        let heads = app.run.losses.curves.filter { $0.id.model == headsModel && $0.id.userID != nil }
        guard !heads.isEmpty else {
            canvas.put("no \(headsModel) head fitted yet (M switches model)", x: rect.x + 1, y: rect.y, role: .dim)
            return
        }
        let cellWidth = 24, cellHeight = 5
        let columns = max(1, rect.width / cellWidth), rows = max(1, rect.height / cellHeight)
        let shown = heads.prefix(columns * rows)
        for (i, curve) in shown.enumerated() {
            let x = rect.x + (i % columns) * cellWidth, y = rect.y + (i / columns) * cellHeight
            canvas.put(DisplayText.clip(curve.id.userID ?? "", cellWidth - 8) + " " + fixed(Double(curve.ema), 3), x: x + 1, y: y, role: .dim, maxWidth: cellWidth - 2)
            let (_, smooth) = curve.window(lastSteps: window.steps)
            var chart = BrailleChart(width: cellWidth - 2, height: cellHeight - 2, covering: [smooth], logScale: logScale)
            chart.plot(smooth, role: .plotSeries2)
            chart.draw(&canvas, x: x + 1, y: y + 1)
        }
        if heads.count > shown.count {
            canvas.put("+\(heads.count - shown.count) more heads (widen the terminal, or m for the spread)", x: rect.x + 1, y: rect.y + rect.height - 1, role: .dim, maxWidth: rect.width - 2)
        }
    }

    /// The heads of `headsModel` resampled to one length: their mean and min–max band.
    func drawSpread(_ canvas: inout Canvas, _ rect: Rect, _ app: AppModel) {
        let heads = app.run.losses.curves.filter { $0.id.model == headsModel && $0.id.userID != nil }
        guard !heads.isEmpty else {
            canvas.put("no \(headsModel) head fitted yet (M switches model)", x: rect.x + 1, y: rect.y, role: .dim)
            return
        }
        let points = max(2, min(rect.width * 2, 400))
        var mean = [Float](repeating: 0, count: points), low = [Float](repeating: .infinity, count: points)
        var high = [Float](repeating: -.infinity, count: points)
        for curve in heads {
            let (_, smooth) = curve.window(lastSteps: window.steps)
            guard !smooth.isEmpty else { continue }
            for p in 0..<points {
                let v = smooth[smooth.startIndex + p * (smooth.count - 1) / (points - 1)]
                mean[p] += v / Float(heads.count)
                low[p] = min(low[p], v)
                high[p] = max(high[p], v)
            }
        }
        let finalLosses = heads.map { Double($0.ema) }.filter(\.isFinite).sorted()
        let median = finalLosses.isEmpty ? Double.nan : finalLosses[finalLosses.count / 2]
        canvas.put("\(heads.count) \(headsModel) heads · final EMA median \(fixed(median, 4)), min \(fixed(finalLosses.first ?? .nan, 4)), max \(fixed(finalLosses.last ?? .nan, 4))",
                   x: rect.x + 1, y: rect.y, role: .header, maxWidth: rect.width - 2)
        canvas.put("━ mean", x: rect.x + 1, y: rect.y + 1, role: .plotSeries2)
        canvas.put("⣿ min–max", x: rect.x + 9, y: rect.y + 1, role: .plotSeries3)
        let area = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2)
        drawChart(&canvas, area, series: [(mean[...], .plotSeries2)], band: (low, high))
    }

    /// A chart with its y labels in a 9-column gutter.
    func drawChart(_ canvas: inout Canvas, _ rect: Rect, series: [(ArraySlice<Float>, StyleRole)], band: ([Float], [Float])?) {
        let gutter = 9
        guard rect.width > gutter + 4, rect.height > 1 else { return }
        var covered = series.map(\.0)
        if let band { covered += [band.0[...], band.1[...]] }
        var chart = BrailleChart(width: rect.width - gutter - 1, height: rect.height, covering: covered, logScale: logScale)
        if let band { chart.band(lower: band.0, upper: band.1, role: .plotSeries3) }
        for (values, role) in series { chart.plot(values, role: role) }
        chart.draw(&canvas, x: rect.x + gutter, y: rect.y)
        canvas.put(column(fixed(chart.label(top: true), 4), gutter - 1, alignRight: true), x: rect.x, y: rect.y, role: .dim)
        canvas.put(column(fixed(chart.label(top: false), 4), gutter - 1, alignRight: true), x: rect.x, y: rect.y + rect.height - 1, role: .dim)
        for row in 0..<rect.height { canvas.set(rect.x + gutter - 1, rect.y + row, Cell(text: "│", role: .border)) }
    }
}
