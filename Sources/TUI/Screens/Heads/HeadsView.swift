import WorkbenchAPI

/// Where the head inspector's panes go: table and moves on the left, map and learned preference
/// on the right when wide; table on top and map beside the preference (or the moves, when
/// focused) below when narrow.
struct HeadsLayout {
    var table: Rect, moves: Rect?, map: Rect, learned: Rect

    init(_ body: Rect, wide: Bool) {
        if wide {
            let (left, right) = body.splitColumns(body.width * 3 / 5)
            let (top, bottom) = left.splitRows(left.height * 3 / 5)
            (table, moves) = (top, bottom)
            (map, learned) = right.splitRows(right.height / 2)
        } else {
            let (top, bottom) = body.splitRows(body.height * 2 / 5)
            table = top
            moves = nil
            (map, learned) = bottom.splitColumns(bottom.width / 2)
        }
    }

    var tableHeight: Int { TableView.bodyHeight(table.inset(1)) }
    /// Rows of the moves list, wherever it is drawn.
    var movesHeight: Int { max(1, (moves ?? learned).inset(1).height - 2) }
}

extension HeadsScreen {
    static let columns: [HeadSort: TableColumn] = [
        .id: TableColumn("User"), .role: TableColumn("Role", width: 5), .examples: TableColumn("Fit n", width: 6, alignRight: true),
        .loss: TableColumn("Loss", width: 6, alignRight: true), .norm: TableColumn("‖dense‖", width: 7, alignRight: true),
        .outNorm: TableColumn("‖out‖", width: 6, alignRight: true),
        .mean: TableColumn("d mean", width: 7, alignRight: true), .global: TableColumn("d global", width: 9, alignRight: true),
        .delta: TableColumn("Δ", width: 7, alignRight: true),
    ]

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        let layout = HeadsLayout(body, wide: app.isWide)
        var title = "Heads: \(scorer.rawValue)"
        if !filter.isEmpty || filterEditing { title += " /\(DisplayText.clip(filter, 20))" + (filterEditing ? "▏" : "") }
        let inner = drawPane(&canvas, layout.table, title: title, focused: focus == .table)
        drawBorderLabel(&canvas, layout.table, position(list, visible.count))
        switch status {
        case .pending:
            canvas.put("measuring every head (norms, distances, map, learned preferences)…", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            return
        case .failed(let message):
            for (i, line) in TextWrap.wrap(DisplayText.line(message), width: inner.width - 2).prefix(inner.height).enumerated() {
                canvas.put(line, x: inner.x + 1, y: inner.y + i, role: .error)
            }
            return
        case .done:
            break
        }
        let order = HeadSort.allCases
        let table = TableView(columns: order.map { Self.columns[$0]! }, sortColumn: order.firstIndex(of: sort), sortDescending: descending)
        table.draw(&canvas, in: inner, state: list, count: visible.count, focused: focus == .table, empty: "no head matches") { row in
            let head = visible[row]
            let stats = head.stats(scorer)
            let delta = head.delta
            return [
                [Span(DisplayText.line(head.userID))], [Span(head.role.rawValue, .dim)],
                [Span(stats?.fitExamples.map(String.init) ?? "—", .dim)], [Span(stats?.finalLoss.map { fixed($0, 3) } ?? "—")],
                [Span(stats.map { fixed($0.denseNorm, 2) } ?? "—")], [Span(stats.map { fixed($0.outputNorm, 2) } ?? "—", .dim)],
                [Span(stats.map { fixed($0.distanceToMean, 2) } ?? "—")],
                [Span(stats.map { fixed($0.distanceToGlobal, 2) } ?? "—")],
                [Span(delta.map { signed($0) } ?? "—", (delta ?? 0) > 0 ? .scoreUp : ((delta ?? 0) < 0 ? .scoreDown : .dim))],
            ]
        }
        drawMap(&canvas, layout.map)
        if let movesRect = layout.moves {
            drawMoves(&canvas, movesRect)
            drawLearned(&canvas, layout.learned, app)
        } else if focus == .moves {
            drawMoves(&canvas, layout.learned)
        } else {
            drawLearned(&canvas, layout.learned, app)
        }
    }

    func drawMap(_ canvas: inout Canvas, _ rect: Rect) {
        let inner = drawPane(&canvas, rect, title: "Map of the \(scorer.rawValue) heads", focused: false)
        guard let map = report?.map(scorer), inner.height >= 4, inner.width >= 10 else { return }
        let legend = "⠂ train  ⠂ eval  ◆ selected  ✚ global"
        drawSpans(&canvas, [Span("⠂", .plotSeries3), Span(" train  "), Span("⠂", .plotSeries1), Span(" eval  "),
                            Span("◆", .highlight), Span(" selected  "), Span("✚", .plotSeries2), Span(" global")],
                  x: inner.x + 1, y: inner.y, width: min(inner.width - 1, legend.count + 2))
        let plot = Rect(x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, height: inner.height - 2)
        let chart = ScatterChart(width: plot.width, height: plot.height, covering: map.points.map { ($0.x, $0.y) })
        let shown = Set(visible.map(\.userID))
        let points = map.points.compactMap { point -> ScatterChart.Point? in
            guard let id = point.userID, shown.contains(id) else { return nil }
            return ScatterChart.Point(x: point.x, y: point.y, role: point.role == .train ? .plotSeries3 : .plotSeries1)
        }
        var marks: [(x: Double, y: Double, text: String, role: StyleRole)] = []
        if let global = map.points.first(where: { $0.userID == nil }) { marks.append((global.x, global.y, "✚", .plotSeries2)) }
        if let id = selectedUserID, let point = map.points.first(where: { $0.userID == id }) { marks.append((point.x, point.y, "◆", .highlight)) }
        chart.draw(&canvas, x: plot.x, y: plot.y, points: points, marks: marks)
        let axes = map.explainedVariance.map { fixed($0 * 100, 0) + "%" }.joined(separator: " · ")
        canvas.put("PCA of probe scores · axes explain \(axes)", x: inner.x + 1, y: inner.y + inner.height - 1, role: .dim, maxWidth: inner.width - 2)
    }

    func drawLearned(_ canvas: inout Canvas, _ rect: Rect, _ app: AppModel) {
        let id = selectedUserID
        let inner = drawPane(&canvas, rect, title: "What \(id.map { DisplayText.clip($0, 16) } ?? "the head")'s adapter head learned", focused: false)
        guard let report else { return }
        var lines: [[Span]] = []
        if let mean = report.meanRecovery {
            lines.append([Span("latent preference recovered: mean \(fixed(mean, 2)) over \(report.recoveryUsers) users", .dim)])
        }
        guard let id, let preference = report.preference(of: id) else {
            lines.append([Span(id == nil ? "no head selected" : "this user has no adapter head of their own", .dim)])
            return drawLines(&canvas, lines, inner)
        }
        if let latent = preference.latent {
            lines.append([Span("latent: ", .header), Span(DisplayText.line(latent.summary))])
            lines.append([Span("recovered: ", .header), Span(latent.recovery.map { fixed($0, 2) } ?? "n/a", (latent.recovery ?? 0) > 0 ? .scoreUp : .scoreDown),
                          Span("  " + latent.measure, .dim)])
        }
        let labelWidth = min(18, max(6, preference.labelShifts.map(\.label.count).max() ?? preference.featureWeights.map(\.feature.count).max() ?? 8))
        let bars: [(String, Double)] = preference.labelShifts.isEmpty
            ? preference.featureWeights.map { ($0.feature, $0.correlation) } : preference.labelShifts.map { ($0.label, $0.shift) }
        if !preference.labelShifts.isEmpty {
            lines.append([Span("P(useful) shift of each label vs the global head:", .dim)])
        } else if !bars.isEmpty {
            lines.append([Span("correlation of the head's shift with each candidate property:", .dim)])
        }
        let largest = max(1e-9, bars.map { abs($0.1) }.max() ?? 1)
        let half = max(2, (inner.width - labelWidth - 12) / 2)
        for (label, value) in bars.sorted(by: { $0.1 > $1.1 }) {
            let length = value.isFinite ? Int((abs(value) / largest * Double(half)).rounded()) : 0
            let bar = String(repeating: "█", count: length)
            let left = value < 0 ? String(repeating: " ", count: half - length) + bar : String(repeating: " ", count: half)
            let right = value >= 0 ? bar + String(repeating: " ", count: half - length) : String(repeating: " ", count: half)
            lines.append([
                Span(column(DisplayText.line(label), labelWidth) + " "), Span(left, .scoreDown), Span("│", .dim), Span(right, .scoreUp),
                Span(" " + (value.isFinite ? signed(value) : "n/a"), .dim),
            ])
        }
        drawLines(&canvas, lines, inner)
    }

    func drawMoves(_ canvas: inout Canvas, _ rect: Rect) {
        let inner = drawPane(&canvas, rect, title: "What the heads move most (Enter opens the question)", focused: focus == .moves)
        let moves = self.moves
        guard !moves.isEmpty else {
            canvas.put(report == nil ? "" : "no question of this user was answered in the run", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            return
        }
        let itemCount = selectedUserID.flatMap { report?.moves[$0]?.items.count } ?? 0
        canvas.put("reranker: item (question) base → personal · adapter: candidate", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
        let list = Rect(x: inner.x, y: inner.y + 1, width: inner.width - 1, height: inner.height - 1)
        drawList(&canvas, list, state: movesList, count: moves.count, focused: focus == .moves) { row in
            let move = moves[row]
            let kind = row < itemCount ? "item" : "cand"
            return [
                Span(kind + " ", .dim), Span(column(signed(move.change), 7, alignRight: true) + " ", move.change >= 0 ? .scoreUp : .scoreDown),
                Span(fixed(move.baseScore, 2) + "→" + fixed(move.personalScore, 2) + " ", .dim),
                Span(DisplayText.clip(DisplayText.line(move.subject), 40)), Span("  " + DisplayText.clip(move.questionID, 12), .dim),
            ]
        }
    }

    private func drawLines(_ canvas: inout Canvas, _ lines: [[Span]], _ inner: Rect) {
        for (row, spans) in lines.prefix(inner.height).enumerated() {
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + row, width: inner.width - 2)
        }
    }
}
