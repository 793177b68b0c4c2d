import WorkbenchAPI

/// Where the users screen's panes go.
struct UsersLayout {
    var table: Rect
    var preview: Rect?

    init(_ body: Rect, wide: Bool) {
        if wide {
            let (left, right) = body.splitColumns(body.width * 3 / 5)
            table = left
            preview = right
        } else {
            table = body
        }
    }

    /// Rows of the table body (border and header excluded).
    var tableHeight: Int { TableView.bodyHeight(table.inset(1)) }
}

extension UsersScreen {
    static let columns: [UserSort: TableColumn] = [
        .id: TableColumn("User"), .role: TableColumn("Role", width: 5), .profile: TableColumn("Profile", width: 7, alignRight: true),
        .questions: TableColumn("Questions", width: 9, alignRight: true), .heads: TableColumn("Heads", width: 5),
        .delta: TableColumn("Δ pers−base", width: 11, alignRight: true),
    ]

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        guard let snapshot = app.snapshot else { return }
        let layout = UsersLayout(body, wide: app.isWide)
        var title = "Users"
        if deltaFilter != .all { title += " (\(deltaFilter.rawValue))" }
        if !filter.isEmpty { title += " /\(DisplayText.clip(filter, 20))" }
        let inner = drawPane(&canvas, layout.table, title: title, focused: true)
        drawBorderLabel(&canvas, layout.table, position(list, visible.count))
        let order = UserSort.allCases
        let table = TableView(columns: order.map { Self.columns[$0]! }, sortColumn: order.firstIndex(of: sort), sortDescending: descending)
        let deltas = app.run.report?.userDeltas ?? [:]
        let empty = filter.isEmpty && deltaFilter == .all ? "no users" : "no user matches the filter"
        table.draw(&canvas, in: inner, state: list, count: visible.count, focused: true, empty: empty) { row in
            let user = snapshot.users[visible[row]]
            let delta = deltas[user.id]
            let deltaRole: StyleRole = (delta ?? 0) > 0 ? .scoreUp : ((delta ?? 0) < 0 ? .scoreDown : .dim)
            return [
                [Span(DisplayText.line(user.id))], [Span(user.role.rawValue, .dim)], [Span("\(user.profile.count)")],
                [Span("\(user.questions.count)")], [Span(user.hasHeads ? "✓" : "·", user.hasHeads ? .scoreUp : .dim)],
                [Span(delta.map { signed($0) } ?? "—", deltaRole)],
            ]
        }
        if let preview = layout.preview { drawPreview(&canvas, preview, app) }
    }

    func drawPreview(_ canvas: inout Canvas, _ rect: Rect, _ app: AppModel) {
        let inner = drawPane(&canvas, rect, title: "Profile", focused: false)
        guard let user = highlighted(app), let task = app.task else { return }
        canvas.put("user \(DisplayText.line(user.id)) · \(user.role.rawValue) · \(user.profile.count) items · \(user.questions.count) questions",
                   x: inner.x + 1, y: inner.y, role: .header, maxWidth: inner.width - 1)
        canvas.put("fields: \(task.profileFields.joined(separator: ", "))", x: inner.x + 1, y: inner.y + 1, role: .dim, maxWidth: inner.width - 1)
        for (i, item) in user.profile.prefix(max(0, inner.height - 3)).enumerated() {
            canvas.put(profileSummary(item, task: task), x: inner.x + 1, y: inner.y + 3 + i, role: .normal, maxWidth: inner.width - 2)
        }
    }
}

/// One line describing a profile item: the answer field in brackets first (`[sci-fi] A young
/// wizard…`), then the other fields joined by " · ".
public func profileSummary(_ item: ProfileEntry, task: TaskInfo) -> String {
    var parts: [String] = []
    var answer = ""
    for field in task.profileFields {
        let value = DisplayText.line(item[field])
        guard !value.isEmpty else { continue }
        if field == task.answerField { answer = "[\(value)] " } else { parts.append(value) }
    }
    return answer + parts.joined(separator: " · ")
}
