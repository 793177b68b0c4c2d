import LaMP

func drawUserScreen(_ canvas: inout Canvas, _ model: AppModel, _ layout: Layout, user index: Int) {
    guard let data = model.data, data.users.indices.contains(index) else { return }
    let user = data.users[index]

    if let rect = layout.panes[.profile] {
        let focused = model.focus == .profile
        let inner = drawPane(&canvas, rect, title: PaneID.profile.title, focused: focused)
        drawBorderLabel(&canvas, rect, position(model.profileList, user.profile.count))
        let list = Rect(x: inner.x, y: inner.y, width: inner.width - 1, height: inner.height)
        drawList(&canvas, list, state: model.profileList, count: user.profile.count, focused: focused) { row in
            [Span(profileSummary(user.profile[row], task: data.task))]
        }
    }

    if let rect = layout.panes[.questions] {
        let focused = model.focus == .questions
        let inner = drawPane(&canvas, rect, title: PaneID.questions.title, focused: focused)
        drawBorderLabel(&canvas, rect, position(model.questionsList, user.questions.count))
        let list = Rect(x: inner.x, y: inner.y, width: inner.width - 1, height: inner.height)
        if user.questions.isEmpty { canvas.put("this user has no questions", x: list.x + 1, y: list.y, role: .dim) }
        drawList(&canvas, list, state: model.questionsList, count: user.questions.count, focused: focused) { row in
            let input = user.questions[row].input.replacingOccurrences(of: "\n", with: " ")
            return [Span(column("\(row + 1)", 4, alignRight: true) + "  ", .dim), Span(input)]
        }
    }

    if let rect = layout.panes[.retrieved] {
        drawRetrieved(&canvas, model, rect, user: user, task: data.task)
    }
}

func position(_ state: ListState, _ count: Int) -> String {
    count == 0 ? "0/0" : "\(state.cursor + 1)/\(count)"
}

func drawRetrieved(_ canvas: inout Canvas, _ model: AppModel, _ rect: Rect, user: WorkbenchUser, task: LaMPTask) {
    let focused = model.focus == .retrieved
    let title = model.data.map { "Retrieved (\($0.retriever))" } ?? PaneID.retrieved.title
    let inner = drawPane(&canvas, rect, title: title, focused: focused)
    guard let retrieval = model.retrieval, retrieval.userIndex == model.openUser else { return }
    let items = retrieval.items.filter { user.profile.indices.contains($0.profileIndex) }
    let scores = items.map(\.score)
    drawBorderLabel(&canvas, rect, "k=\(retrieval.k) " + Plot.sparkline(scores, width: 12) + " " + position(model.retrievedList, items.count))
    switch retrieval.status {
    case .pending:
        canvas.put("searching…", x: inner.x + 1, y: inner.y, role: .dim)
        return
    case .failed(let message):
        canvas.put(message, x: inner.x + 1, y: inner.y, role: .error, maxWidth: inner.width - 2)
        return
    case .done:
        if items.isEmpty { canvas.put("no profile item shares a term with the question", x: inner.x + 1, y: inner.y, role: .dim) }
    }
    let listHeight = Layout.retrievedListHeight(inner.height)
    let list = Rect(x: inner.x, y: inner.y, width: inner.width - 1, height: listHeight)
    drawList(&canvas, list, state: model.retrievedList, count: items.count, focused: focused) { row in
        let hit = items[row]
        let text = profileSummary(user.profile[hit.profileIndex], task: task)
        return [
            Span(column("\(hit.rank)", 3, alignRight: true) + " ", .dim),
            Span(column(formatScore(hit.score), 7, alignRight: true) + "  ", .scoreUp),
        ] + TextWrap.highlight(text, terms: Set(hit.matchedTerms))
    }
    // the selected item in full, with the matched terms highlighted
    let detail = Rect(x: inner.x + 1, y: inner.y + listHeight + 1, width: inner.width - 2, height: inner.height - listHeight - 1)
    guard detail.height > 0, items.indices.contains(model.retrievedList.cursor) else { return }
    canvas.put(String(repeating: "─", count: inner.width), x: inner.x, y: detail.y - 1, role: .border)
    let hit = items[model.retrievedList.cursor]
    let item = user.profile[hit.profileIndex]
    let terms = Set(hit.matchedTerms)
    var lines: [[Span]] = [[Span("matched: " + hit.matchedTerms.joined(separator: ", "), .dim)]]
    for field in task.profileFields where !item[field].isEmpty {
        for (i, line) in TextWrap.wrap("\(field): " + item[field], width: detail.width).enumerated() {
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

/// A score with two decimals, without Foundation's formatter.
func formatScore(_ score: Double) -> String {
    guard score.isFinite else { return "\(score)" }
    let cents = Int((abs(score) * 100).rounded())
    let fraction = cents % 100
    return (score < 0 ? "-" : "") + "\(cents / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
}
