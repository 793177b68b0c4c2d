import WorkbenchAPI

/// Where the question screen's panes go: the three rankings side by side (one combined table
/// below 120 columns), the selected item's "why" below them, agreement and counterfactuals
/// beside it.
struct QuestionLayout {
    var header: Rect
    var rankings: [Rect]
    var why: Rect
    var side: Rect

    init(_ body: Rect, wide: Bool, items: Int, dense: Bool = false) {
        let (top, rest) = body.splitRows(2)
        header = top
        let rankingsHeight = min(max(5, items + 3), max(5, rest.height / 2))
        let (upper, lower) = rest.splitRows(rankingsHeight)
        if wide {
            let count = dense ? 4 : 3
            let width = upper.width / count
            rankings = (0..<count).map { i in
                Rect(x: upper.x + i * width, y: upper.y, width: i == count - 1 ? upper.width - i * width : width, height: upper.height)
            }
            (why, side) = lower.splitColumns(lower.width * 3 / 5)
        } else {
            rankings = [upper]
            let (w, s) = lower.splitRows(max(3, lower.height - 7))
            (why, side) = (w, s)
        }
    }
}

extension QuestionScreen {
    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        guard let report = load.reportOrPlaceholder(&canvas, body: body, questionID: questionID, title: "Question") else { return }
        let dense = showDense && !report.dense.isEmpty
        let layout = QuestionLayout(body, wide: app.isWide, items: report.items.count, dense: dense)
        let user = app.user(report.userID)
        let content = user?.questions.first { $0.id == report.questionID }?.content ?? report.input
        canvas.put("user \(DisplayText.clip(report.userID, 20)) · \(DisplayText.line(content))", x: layout.header.x + 1, y: layout.header.y, role: .header, maxWidth: layout.header.width - 2)
        var second = "gold: \(DisplayText.clip(report.gold, 40)) · base pick: \(DisplayText.clip(report.basePick, 30))"
        if report.hasPersonalHeads { second += " · personal pick: \(DisplayText.clip(report.personalPick, 30))" } else { second += " · this user has no personal heads (not an eval user, or not fitted): base only" }
        canvas.put(second, x: layout.header.x + 1, y: layout.header.y + 1, role: .dim, maxWidth: layout.header.width - 2)

        let rankings = Rankings(report)
        if layout.rankings.count >= 3 {
            for (rect, column) in zip(layout.rankings, Column.allCases) {
                drawRanking(&canvas, rect, column, rankings, report, user, app.task)
            }
            if layout.rankings.count == 4 { drawDense(&canvas, layout.rankings[3], report, user, app.task) }
        } else {
            drawCombined(&canvas, layout.rankings[0], rankings, report)
        }
        drawWhy(&canvas, layout.why, report, user, app)
        drawSide(&canvas, layout.side, report, denseInSide: layout.rankings.count < 3)
    }

    func label(_ item: RankedEntry, _ user: UserEntry?, _ task: TaskInfo?) -> String {
        guard let entry = user?.profile.first(where: { $0.id == item.itemID }), let task else { return item.itemID }
        return profileSummary(entry, task: task)
    }

    func drawRanking(
        _ canvas: inout Canvas, _ rect: Rect, _ ranking: Column, _ rankings: Rankings, _ report: QuestionReport, _ user: UserEntry?,
        _ task: TaskInfo?
    ) {
        let title: String
        switch ranking {
        case .bm25: title = "BM25"
        case .base: title = "Reranker · global head"
        case .personal: title = report.hasPersonalHeads ? "Reranker · user's head" : "User's head: none"
        }
        let inner = drawPane(&canvas, rect, title: title, focused: focus == ranking)
        let order = rankings.order(ranking)
        if ranking == .personal, !report.hasPersonalHeads {
            canvas.put("no personal head: the user is not an", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 2)
            canvas.put("evaluation user with a fitted head", x: inner.x + 1, y: inner.y + 1, role: .dim, maxWidth: inner.width - 2)
            return
        }
        let barWidth = 6
        for (row, index) in order.prefix(inner.height).enumerated() {
            let item = report.items[index]
            let y = inner.y + row
            var spans: [Span] = []
            let mark = ranking == .personal ? (item.inPersonalPrompt ? "▶" : " ") : (ranking == .base ? (item.inBasePrompt ? "▶" : " ") : " ")
            switch ranking {
            case .bm25:
                spans = [Span(column2("\(item.bm25Rank)", 3), .dim), Span(" " + column2(fixed(item.bm25Score), 6) + " ", .scoreUp)]
            case .base, .personal:
                let score = ranking == .base ? item.baseScore : item.personalScore
                let rank = ranking == .base ? item.baseRank : item.personalRank
                let filled = Int(((score ?? 0) * Double(barWidth)).rounded())
                let moved = ranking == .base ? shift(from: item.bm25Rank, to: rank) : shift(from: item.baseRank, to: rank)
                spans = [
                    Span(mark, .highlight), Span(column2(rank.map(String.init) ?? "—", 2), .dim), Span(" " + fixed(score ?? .nan) + " "),
                    Span(String(repeating: "█", count: max(0, filled)), .progress), Span(String(repeating: "░", count: max(0, barWidth - filled)) + " ", .dim),
                    Span(column(moved.text, 3), moved.role),
                ]
            }
            spans.append(Span(" " + label(item, user, task)))
            let isSelected = index == selected
            if isSelected {
                canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: focus == ranking ? .selection : .selectionUnfocused)
                spans = spans.map { Span($0.text, focus == ranking ? .selection : .selectionUnfocused) }
            }
            drawSpans(&canvas, spans, x: inner.x, y: y, width: inner.width)
        }
    }

    /// The dense retriever's top-k (cosine of the encoder's embeddings), beside the three.
    func drawDense(_ canvas: inout Canvas, _ rect: Rect, _ report: QuestionReport, _ user: UserEntry?, _ task: TaskInfo?) {
        let inner = drawPane(&canvas, rect, title: "Dense (cosine)", focused: false)
        let selectedID = report.items.indices.contains(selected) ? report.items[selected].itemID : nil
        let bm25Rank = Dictionary(report.items.map { ($0.itemID, $0.bm25Rank) }, uniquingKeysWith: { a, _ in a })
        for (row, hit) in report.dense.prefix(inner.height).enumerated() {
            let entry = user?.profile.first { $0.id == hit.itemID }
            let text = entry.flatMap { e in task.map { profileSummary(e, task: $0) } } ?? hit.itemID
            let moved = shift(from: bm25Rank[hit.itemID], to: hit.rank)
            var spans = [Span(column2("\(hit.rank)", 3), .dim), Span(" " + fixed(hit.score) + " "), Span(column(bm25Rank[hit.itemID] == nil ? "new" : moved.text, 4), bm25Rank[hit.itemID] == nil ? .highlight : moved.role), Span(text)]
            if hit.itemID == selectedID { spans = spans.map { Span($0.text, .selectionUnfocused) } }
            drawSpans(&canvas, spans, x: inner.x, y: inner.y + row, width: inner.width)
        }
    }

    func drawCombined(_ canvas: inout Canvas, _ rect: Rect, _ rankings: Rankings, _ report: QuestionReport) {
        let inner = drawPane(&canvas, rect, title: "Rankings: BM25 · global head · user's head", focused: true)
        let table = TableView(columns: [
            TableColumn("BM25", width: 4, alignRight: true), TableColumn("score", width: 6, alignRight: true),
            TableColumn("base", width: 4, alignRight: true), TableColumn("P", width: 5, alignRight: true), TableColumn("Δ", width: 3),
            TableColumn("pers", width: 4, alignRight: true), TableColumn("P", width: 5, alignRight: true), TableColumn("Δ", width: 3),
            TableColumn("item"),
        ])
        let order = rankings.bm25
        let cursor = order.firstIndex(of: selected) ?? 0
        var state = ListState(cursor: cursor)
        state.keepVisible(height: TableView.bodyHeight(inner), count: order.count)
        table.draw(&canvas, in: inner, state: state, count: order.count, focused: true) { row in
            let item = report.items[order[row]]
            let toBase = shift(from: item.bm25Rank, to: item.baseRank), toPersonal = shift(from: item.baseRank, to: item.personalRank)
            return [
                [Span("\(item.bm25Rank)")], [Span(fixed(item.bm25Score))],
                [Span((item.inBasePrompt ? "▶" : "") + (item.baseRank.map(String.init) ?? "—"))], [Span(item.baseScore.map { fixed($0) } ?? "—")], [Span(toBase.text, toBase.role)],
                [Span((item.inPersonalPrompt ? "▶" : "") + (item.personalRank.map(String.init) ?? "—"))], [Span(item.personalScore.map { fixed($0) } ?? "—")], [Span(toPersonal.text, toPersonal.role)],
                [Span(DisplayText.line(item.itemID))],
            ]
        }
    }

    /// The selected item: its text with the query terms marked, the BM25 breakdown, the dense
    /// cosine and what the user's head changes.
    func drawWhy(_ canvas: inout Canvas, _ rect: Rect, _ report: QuestionReport, _ user: UserEntry?, _ app: AppModel) {
        guard report.items.indices.contains(selected) else {
            drawPane(&canvas, rect, title: "Why", focused: false)
            return
        }
        let item = report.items[selected]
        let inner = drawPane(&canvas, rect, title: "Why: \(DisplayText.clip(item.itemID, 30))", focused: false)
        var lines: [[Span]] = []
        let terms = Set(item.terms.map(\.term))
        if let entry = user?.profile.first(where: { $0.id == item.itemID }), let task = app.task {
            for field in task.profileFields where !entry[field].isEmpty {
                for line in TextWrap.wrap("\(field): " + DisplayText.line(entry[field]), width: inner.width - 2) {
                    lines.append(TextWrap.highlight(line, terms: terms))
                }
            }
        }
        lines.append([])
        let sum = item.terms.reduce(0) { $0 + $1.contribution }
        lines.append([Span("BM25 \(fixed(item.bm25Score, 3)) = Σ terms \(fixed(sum, 3))", .header)])
        lines.append([Span(column("term", 16) + column("tf", 4, alignRight: true) + column("|D|/avg", 11, alignRight: true) + column("idf", 7, alignRight: true) + column("part", 8, alignRight: true), .dim)])
        for t in item.terms.sorted(by: { $0.contribution > $1.contribution }) {
            let length = "\(t.documentLength)/" + fixed(t.averageLength, 1)
            let term = DisplayText.line(t.term) + (t.queryCount > 1 ? " ×\(t.queryCount)" : "")
            lines.append([Span(column(term, 16), .highlight), Span(column("\(t.termFrequency)", 4, alignRight: true) + column(length, 11, alignRight: true) + column(fixed(t.idf), 7, alignRight: true) + column(fixed(t.contribution, 3), 8, alignRight: true))])
        }
        lines.append([])
        if let cosine = item.denseCosine { lines.append([Span("dense cosine to the query: \(fixed(cosine, 3))")]) }
        // what the reranker sees (PairFeatures): the two embeddings, their product and distance, and two scalars
        let best = report.items.map(\.bm25Score).max() ?? 0
        let scalars = "BM25/best \(fixed(best > 0 ? item.bm25Score / best : 0, 3)) and its BM25 rank (\(item.bm25Rank) of the top-k) over k"
        lines += TextWrap.wrap("reranker input: [q, d, q⊙d, |q−d|] of the query's and the item's embeddings, then \(scalars)", width: inner.width - 2)
            .map { [Span($0, .dim)] }
        if let base = item.baseScore {
            lines.append([Span("P(useful) under the global head \(fixed(base, 3))")])
            if let personal = item.personalScore {
                lines.append([Span("under the user's head \(fixed(personal, 3)): "), Span(signed(personal - base, 3), personal > base ? .scoreUp : (personal < base ? .scoreDown : .dim)), Span(" from the user's head")])
            }
        } else {
            lines.append([Span("no reranker scores: the session has not been run (r runs it)", .dim)])
        }
        if let label = item.trainingLabel {
            let text = "training label \(label)" + (item.answerAlone.map { " · the LLM with this item alone: \(DisplayText.clip($0, 60))" } ?? "")
            lines += TextWrap.wrap(text, width: inner.width - 2).map { [Span($0, label == 1 ? .scoreUp : .scoreDown)] }
        }
        let top = min(whyScroll, max(0, lines.count - inner.height))
        for (row, spans) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + row, width: inner.width - 2)
        }
    }

    func drawSide(_ canvas: inout Canvas, _ rect: Rect, _ report: QuestionReport, denseInSide: Bool) {
        let inner = drawPane(&canvas, rect, title: "Agreement · counterfactuals", focused: false)
        let width = inner.width - 2
        var lines: [[Span]] = [[Span(column("this question", 17) + column("τ", 6, alignRight: true) + column("RBO", 6, alignRight: true) + column("user τ", 7, alignRight: true) + column("RBO", 6, alignRight: true), .dim)]]
        for a in report.agreement {
            let user = report.userAgreement.first { $0.first == a.first && $0.second == a.second }
            lines.append([Span(column("\(a.first) vs \(a.second)", 17) + column(fixed(a.kendallTau), 6, alignRight: true) + column(fixed(a.rbo), 6, alignRight: true)
                + column(user.map { fixed($0.kendallTau) } ?? "—", 7, alignRight: true) + column(user.map { fixed($0.rbo) } ?? "—", 6, alignRight: true))])
        }
        lines.append([])
        if report.items.indices.contains(selected) {
            let item = report.items[selected].itemID
            let hint = "a: answer with this item alone · o: leave it out (≤ \(report.counterfactualCalls) LLM calls each, cached after)"
            lines += TextWrap.wrap(hint, width: width).map { [Span($0, .dim)] }
            for kind in CounterfactualKind.allCases {
                switch counterfactuals[CounterfactualKey(itemID: item, kind: kind)] {
                case nil: break
                case .running?: lines.append([Span("\(kind.rawValue): running…", .dim)])
                case .failed(let message)?:
                    lines += TextWrap.wrap("\(kind.rawValue): \(DisplayText.line(message))", width: width).map { [Span($0, .error)] }
                case .done(let r)?:
                    let better = ((r.metricAfter ?? 0) > (r.metricBefore ?? 0)) == report.higherIsBetter
                    let changed = r.metricAfter != r.metricBefore
                    let text = "\(kind.rawValue): \(DisplayText.clip(r.before, 24)) (\(r.metricBefore.map { fixed($0, 3) } ?? "—")) → \(DisplayText.clip(r.after, 24)) (\(r.metricAfter.map { fixed($0, 3) } ?? "—")) · \(r.llmCalls) calls"
                    lines += TextWrap.wrap(text, width: width).map { [Span($0, changed ? (better ? .scoreUp : .scoreDown) : .normal)] }
                    let after = r.candidatesAfter.sorted { $0.personalScore > $1.personalScore }.prefix(4)
                    if !after.isEmpty {
                        let list = "candidates after: " + after.map { "\(DisplayText.clip($0.text, 16)) \(fixed($0.personalScore))" }.joined(separator: ", ")
                        lines += TextWrap.wrap(list, width: width).map { [Span($0, .dim)] }
                    }
                }
            }
        }
        if showDense, denseInSide, !report.dense.isEmpty {
            lines.append([])
            let dense = "dense top-k: " + report.dense.map { "\($0.rank). \(DisplayText.clip($0.itemID, 12))" }.joined(separator: "  ")
            lines += TextWrap.wrap(dense, width: width).map { [Span($0, .dim)] }
        }
        for (row, spans) in lines.prefix(inner.height).enumerated() {
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + row, width: inner.width - 2)
        }
    }
}

/// Right-aligned to `width`.
func column2(_ text: String, _ width: Int) -> String { column(text, width, alignRight: true) }
