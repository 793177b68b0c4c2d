import WorkbenchAPI

extension OutputsScreen {
    static let methods: [(method: String, title: String)] = [
        ("zero-shot", "Zero-shot"), ("rag", "RAG"), ("hydra-base", "Base (global heads)"), ("hydra", "Personalized (user's heads)"),
    ]

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        guard let report = load.reportOrPlaceholder(&canvas, body: body, questionID: questionID, title: "Outputs") else { return }
        let (header, rest) = body.splitRows(2)
        let content = app.user(report.userID)?.questions.first { $0.id == report.questionID }?.content ?? report.input
        canvas.put("user \(DisplayText.clip(report.userID, 20)) · \(DisplayText.line(content))", x: header.x + 1, y: header.y, role: .header, maxWidth: header.width - 2)
        let outcomes = app.run.report?.questions ?? []
        var counts = "gold: \(DisplayText.clip(report.gold, 40))"
        if !outcomes.isEmpty {
            counts += " · differs \(outcomes.filter(OutcomeFilter.differs.matches).count), helped \(outcomes.filter(OutcomeFilter.helped.matches).count), hurt \(outcomes.filter(OutcomeFilter.hurt.matches).count) of \(outcomes.count) · filter: \(filter.rawValue) (v)"
        }
        canvas.put(counts, x: header.x + 1, y: header.y + 1, role: .dim, maxWidth: header.width - 2)

        // the method panes need a dozen rows; the candidates get the rest, up to all of them
        let candidatesHeight = max(min(rest.height / 2, report.candidates.count + 5), min(rest.height - 14, report.candidates.count + 5))
        let (top, bottom) = rest.splitRows(rest.height - candidatesHeight)
        let wide = app.isWide
        let shown = wide ? Self.methods : Self.methods.filter { $0.method == "hydra-base" || $0.method == "hydra" }
        let width = top.width / max(1, shown.count)
        for (i, entry) in shown.enumerated() {
            let rect = Rect(x: top.x + i * width, y: top.y, width: i == shown.count - 1 ? top.width - i * width : width, height: top.height)
            drawMethod(&canvas, rect, entry.title, report.outputs.first { $0.method == entry.method }, report, app)
        }
        drawCandidates(&canvas, bottom, report)
    }

    func drawMethod(_ canvas: inout Canvas, _ rect: Rect, _ title: String, _ output: MethodOutput?, _ report: QuestionReport, _ app: AppModel) {
        let inner = drawPane(&canvas, rect, title: title, focused: false)
        guard let output else {
            canvas.put(report.hasPersonalHeads ? "not run" : "no personal heads for this user", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            return
        }
        var lines: [[Span]] = []
        let right = output.metric.map { report.higherIsBetter ? $0 >= 1 : $0 == 0 } ?? false
        let answer = TextWrap.wrap(DisplayText.line(output.answer), width: max(1, inner.width - 10))
        lines.append([Span("answer: ", .header), Span(answer.first ?? "", right ? .scoreUp : .normal)])
        lines += answer.dropFirst().map { [Span("        " + $0, right ? .scoreUp : .normal)] }
        if let raw = output.rawAnswer, raw != output.answer {
            // what the LLM wrote before the answer normaliser cleaned it
            let rawLines = TextWrap.wrap(DisplayText.line(raw), width: max(1, inner.width - 10))
            lines.append([Span("raw:    ", .dim), Span(rawLines.first ?? "", .dim)])
            lines += rawLines.dropFirst().prefix(2).map { [Span("        " + $0, .dim)] }
        }
        lines.append([Span("\(report.metric): \(output.metric.map { fixed($0, 3) } ?? "—")", .dim)])
        lines.append([])
        if fullPrompts {
            for line in TextWrap.wrap(DisplayText.line(output.prompt), width: inner.width - 2) { lines.append([Span(line, .dim)]) }
        } else if output.itemIDs.isEmpty {
            lines += TextWrap.wrap("prompt: the input alone (F shows it)", width: inner.width - 2).map { [Span($0, .dim)] }
        } else {
            lines += TextWrap.wrap("prompt items (F shows the prompt):", width: inner.width - 2).map { [Span($0, .dim)] }
            let user = app.user(report.userID)
            for id in output.itemIDs {
                let text = user?.profile.first { $0.id == id }.flatMap { entry in app.task.map { profileSummary(entry, task: $0) } } ?? id
                lines.append([Span("• " + text)])
            }
        }
        for (row, spans) in lines.prefix(inner.height).enumerated() {
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + row, width: inner.width - 2)
        }
    }

    func drawCandidates(_ canvas: inout Canvas, _ rect: Rect, _ report: QuestionReport) {
        let agree = report.basePick == report.personalPick
        var verdict = agree ? "both heads pick the same" : "the heads disagree"
        if !agree, let b = report.baseMetric, let p = report.personalMetric {
            let better = report.higherIsBetter ? p > b : p < b
            verdict += p == b ? " (same \(report.metric))" : (better ? " · personal pick helped" : " · personal pick hurt")
        }
        let inner = drawPane(&canvas, rect, title: "Candidates (N = \(report.candidates.count)) · ◆ global head's pick · ★ user's head's pick · \(verdict)", focused: true)
        let table = TableView(columns: [
            TableColumn("", width: 2), TableColumn("candidate"), TableColumn("global P", width: 15), TableColumn("user P", width: 15),
            TableColumn(report.metric, width: 8, alignRight: true),
        ])
        var state = candidates
        state.keepVisible(height: TableView.bodyHeight(inner), count: report.candidates.count)
        table.draw(&canvas, in: inner, state: state, count: report.candidates.count, focused: true) { i in
            let c = report.candidates[i]
            let marks = (c.text == report.basePick ? "◆" : " ") + (c.text == report.personalPick ? "★" : " ")
            func bar(_ p: Double) -> [Span] {
                let filled = Int((min(max(p, 0), 1) * 8).rounded())
                return [Span(fixed(p) + " "), Span(String(repeating: "█", count: filled), .progress), Span(String(repeating: "░", count: 8 - filled), .dim)]
            }
            // the cleaned candidate, then what the LLM wrote when the normaliser changed it
            let raw = c.raw.flatMap { $0 == c.text ? nil : [Span("  ← " + DisplayText.line($0), .dim)] } ?? []
            return [[Span(marks, .highlight)], [Span(DisplayText.line(c.text))] + raw, bar(c.baseScore), report.hasPersonalHeads ? bar(c.personalScore) : [Span("—", .dim)],
                    [Span(c.metric.map { fixed($0, 3) } ?? "—")]]
        }
        // for generation, how the personal pick differs from the gold, word by word
        if report.metric.hasPrefix("rouge"), inner.height > report.candidates.count + 2 {
            let gold = Set(report.gold.lowercased().split(separator: " ").map(String.init))
            var spans = [Span("pick vs gold: ", .dim)]
            for word in report.personalPick.split(separator: " ") {
                spans.append(Span(DisplayText.line(String(word)) + " ", gold.contains(word.lowercased()) ? .scoreUp : .scoreDown))
            }
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + inner.height - 1, width: inner.width - 2)
        }
    }
}
