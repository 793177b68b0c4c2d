import WorkbenchAPI

/// Where the user screen's panes go: profile and questions on the left and the retrieved items
/// on the right when wide, stacked when narrow.
struct UserLayout {
    var profile: Rect, questions: Rect, retrieved: Rect

    init(_ body: Rect, wide: Bool) {
        if wide {
            let (left, right) = body.splitColumns(body.width / 2)
            (profile, questions) = left.splitRows(left.height / 2)
            retrieved = right
        } else {
            let third = body.height / 3
            let (top, rest) = body.splitRows(third)
            profile = top
            (questions, retrieved) = rest.splitRows(third)
        }
    }

    func rect(_ pane: UserScreen.Pane) -> Rect {
        switch pane {
        case .profile: profile
        case .questions: questions
        case .retrieved: retrieved
        }
    }

    /// List rows of a pane: the retrieved list shares its pane with the selected item's text.
    func height(_ pane: UserScreen.Pane) -> Int {
        let inner = rect(pane).inset(1).height
        return pane == .retrieved ? UserLayout.retrievedListHeight(inner) : max(0, inner)
    }

    static func retrievedListHeight(_ inner: Int) -> Int { max(1, inner / 2) }
}

extension UserScreen {
    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        guard let user = app.user(userID), let task = app.task else {
            canvas.put("no user \"\(DisplayText.clip(userID, 40))\" in this session", x: body.x + 2, y: body.y + 1, role: .error)
            return
        }
        let layout = UserLayout(body, wide: app.isWide)

        let edit = app.whatIf.edit(of: userID)
        let profileTitle = edit.isEmpty ? "Profile" : "Profile · what-if \(edit.summary) (F re-fits, u undoes)"
        let profileInner = drawPane(&canvas, layout.profile, title: profileTitle, focused: focus == .profile)
        let profileCount = user.profile.count + edit.added.count
        drawBorderLabel(&canvas, layout.profile, position(profileList, profileCount))
        let profileRect = Rect(x: profileInner.x, y: profileInner.y, width: profileInner.width - 1, height: profileInner.height)
        if user.profile.isEmpty { canvas.put("this user has an empty history", x: profileRect.x + 1, y: profileRect.y, role: .dim) }
        drawList(&canvas, profileRect, state: profileList, count: profileCount, focused: focus == .profile) { row in
            guard row < user.profile.count else { return [Span("+ ", .scoreUp), Span(profileSummary(edit.added[row - user.profile.count], task: task))] }
            let item = user.profile[row]
            return edit.removed.contains(item.id)
                ? [Span("× ", .scoreDown), Span(profileSummary(item, task: task), .dim)]
                : [Span(edit.isEmpty ? "" : "  "), Span(profileSummary(item, task: task))]
        }

        var questionsTitle = "Questions"
        if let gold = user.questions.first?.gold, !gold.isEmpty { questionsTitle += " (→ gold)" }
        let questionsInner = drawPane(&canvas, layout.questions, title: questionsTitle, focused: focus == .questions)
        drawBorderLabel(&canvas, layout.questions, position(questionsList, user.questions.count))
        let questionsRect = Rect(x: questionsInner.x, y: questionsInner.y, width: questionsInner.width - 1, height: questionsInner.height)
        if user.questions.isEmpty { canvas.put("this user has no questions", x: questionsRect.x + 1, y: questionsRect.y, role: .dim) }
        drawList(&canvas, questionsRect, state: questionsList, count: user.questions.count, focused: focus == .questions) { row in
            let q = user.questions[row]
            var spans = [Span(column("\(row + 1)", 3, alignRight: true) + " ", .dim)]
            if let gold = q.gold { spans.append(Span("→ " + DisplayText.clip(gold, 24) + "  ", .scoreUp)) }
            spans.append(Span(DisplayText.line(q.content)))
            return spans
        }

        if let refit = app.whatIf.refits[userID] {
            drawRefit(&canvas, layout.retrieved, refit, user: user, task: task)
        } else {
            drawRetrieved(&canvas, layout.retrieved, user: user, task: task, retriever: app.snapshot?.retriever ?? "BM25")
        }
    }

    /// Before → after of the last re-fit: per question the metric and the pick, the user's Δ, and
    /// the selected question's ranking under the fit shown (`b` flips) with each item's move.
    func drawRefit(_ canvas: inout Canvas, _ rect: Rect, _ refit: RefitReport, user: UserEntry, task: TaskInfo) {
        let inner = drawPane(&canvas, rect, title: "What-if \(refit.edit.summary)", focused: focus == .retrieved)
        drawBorderLabel(&canvas, rect, showRefit ? "showing the re-fit · b" : "showing the run's fit · b")
        let byID = Dictionary((user.profile + refit.edit.added).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [[Span]] = [
            [Span("Δ pers−base ", .header), Span(signedOrDash(refit.deltaBefore)), Span(" → ", .dim),
             Span(signedOrDash(refit.deltaAfter), (refit.deltaAfter ?? 0) >= (refit.deltaBefore ?? 0) ? .scoreUp : .scoreDown),
             Span("  · \(refit.plan.historySize) items, \(refit.plan.pseudoQueries) pseudo-queries, \(refit.newLLMCalls) new LLM calls, \(fixed(refit.seconds, 1)) s", .dim)],
            [Span(column("question", 12) + column("metric", 12) + "pick: run's fit → re-fit", .header)],
        ]
        for question in refit.questions {
            let changed = question.before.pick != question.after.pick
            lines.append([
                Span(column(DisplayText.clip(question.questionID, 11), 12)),
                Span(column(fixed(question.before.metric, 2) + "→" + fixed(question.after.metric, 2), 12),
                     question.after.metric == question.before.metric ? .dim : (question.after.metric > question.before.metric) == task.higherIsBetter ? .scoreUp : .scoreDown),
                Span(DisplayText.clip(DisplayText.line(question.before.pick), 24), changed ? .dim : .normal),
                Span(changed ? " → " : "", .dim), Span(changed ? DisplayText.clip(DisplayText.line(question.after.pick), 24) : ""),
            ])
        }
        let selected = user.questions.indices.contains(questionsList.cursor) ? user.questions[questionsList.cursor].id : nil
        if let question = refit.questions.first(where: { $0.questionID == selected }) ?? refit.questions.first {
            let side = showRefit ? question.after : question.before
            lines.append([])
            lines.append([Span("\(question.questionID), \(showRefit ? "re-fit" : "run's fit"): items by the user's reranker head (gold \(DisplayText.clip(question.gold, 20)))", .header)])
            for (rank, id) in side.ranking.enumerated() {
                let other = (showRefit ? question.before : question.after).ranking.firstIndex(of: id)
                let move: Span
                if let other {
                    let shift = other - rank
                    move = Span(column(shift == 0 ? "=" : (shift > 0 ? "↑\(shift)" : "↓\(-shift)"), 4), shift == 0 ? .dim : (shift > 0 ? .scoreUp : .scoreDown))
                } else {
                    move = Span(column(showRefit ? "new" : "gone", 4), .highlight)
                }
                lines.append([Span(column("\(rank + 1)", 3, alignRight: true) + " ", .dim), move,
                              Span(DisplayText.line(byID[id].map { profileSummary($0, task: task) } ?? id))])
            }
        }
        for (row, spans) in lines.prefix(inner.height).enumerated() {
            drawSpans(&canvas, spans, x: inner.x + 1, y: inner.y + row, width: inner.width - 2)
        }
    }

    func drawRetrieved(_ canvas: inout Canvas, _ rect: Rect, user: UserEntry, task: TaskInfo, retriever: String) {
        let focused = focus == .retrieved
        let inner = drawPane(&canvas, rect, title: "Retrieved (\(retriever))", focused: focused)
        guard let retrieval else { return }
        let items = retrieval.hits
        let byID = Dictionary(user.profile.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        drawBorderLabel(&canvas, rect, "k=\(retrieval.k) " + Plot.sparkline(items.map(\.score), width: 12) + " " + position(retrievedList, items.count))
        switch retrieval.status {
        case .pending:
            canvas.put("searching…", x: inner.x + 1, y: inner.y, role: .dim)
            return
        case .failed(let message):
            canvas.put(DisplayText.line(message), x: inner.x + 1, y: inner.y, role: .error, maxWidth: inner.width - 2)
            return
        case .done:
            if items.isEmpty { canvas.put("no history item shares a term with the question", x: inner.x + 1, y: inner.y, role: .dim) }
        }
        let listHeight = UserLayout.retrievedListHeight(inner.height)
        let list = Rect(x: inner.x, y: inner.y, width: inner.width - 1, height: listHeight)
        drawList(&canvas, list, state: retrievedList, count: items.count, focused: focused) { row in
            let hit = items[row]
            let text = byID[hit.itemID].map { profileSummary($0, task: task) } ?? hit.itemID
            return [
                Span(column("\(hit.rank)", 3, alignRight: true) + " ", .dim),
                Span(column(fixed(hit.score), 7, alignRight: true) + "  ", .scoreUp),
            ] + TextWrap.highlight(text, terms: Set(hit.matchedTerms))
        }
        // the selected item in full, with the matched terms highlighted
        let detail = Rect(x: inner.x + 1, y: inner.y + listHeight + 1, width: inner.width - 2, height: inner.height - listHeight - 1)
        guard detail.height > 0, items.indices.contains(retrievedList.cursor), let item = byID[items[retrievedList.cursor].itemID]
        else { return }
        canvas.put(String(repeating: "─", count: inner.width), x: inner.x, y: detail.y - 1, role: .border)
        let hit = items[retrievedList.cursor]
        let terms = Set(hit.matchedTerms)
        var lines: [[Span]] = [[Span("matched: " + hit.matchedTerms.map { DisplayText.line($0) }.joined(separator: ", "), .dim)]]
        for field in task.profileFields where !item[field].isEmpty {
            for (i, line) in TextWrap.wrap("\(field): " + DisplayText.line(item[field]), width: detail.width).enumerated() {
                var spans = TextWrap.highlight(line, terms: terms)
                if i == 0, let first = spans.first, first.role == .normal, first.text.hasPrefix("\(field):") {
                    spans[0] = Span(String(first.text.dropFirst(field.count + 1)), .normal)
                    spans.insert(Span("\(field):", .header), at: 0)
                }
                lines.append(spans)
            }
        }
        for (row, spans) in lines.prefix(detail.height).enumerated() {
            drawSpans(&canvas, spans, x: detail.x, y: detail.y + row, width: detail.width)
        }
    }
}
