import LaMP

/// One line describing a profile item with the task's fields: the answer field in brackets
/// first (`[sci-fi] A young wizard…`), then the other fields joined by " · ".
public func profileSummary(_ item: ProfileItem, task: LaMPTask) -> String {
    var parts: [String] = []
    var answer = ""
    for field in task.profileFields {
        let value = item[field].replacingOccurrences(of: "\n", with: " ")
        guard !value.isEmpty else { continue }
        if field == task.answerField { answer = "[\(value)] " } else { parts.append(value) }
    }
    return answer + parts.joined(separator: " · ")
}

/// Writes `label` right-aligned into the top border of `rect` (counts, sparklines).
func drawBorderLabel(_ canvas: inout Canvas, _ rect: Rect, _ label: String, role: StyleRole = .dim) {
    let text = " " + label + " "
    let width = DisplayWidth.of(text)
    guard rect.width > width + 20 else { return }
    canvas.put(text, x: rect.x + rect.width - 2 - width, y: rect.y, role: role)
}

func drawUsersScreen(_ canvas: inout Canvas, _ model: AppModel, _ layout: Layout) {
    guard let data = model.data, let rect = layout.panes[.users] else { return }
    let inner = drawPane(&canvas, rect, title: PaneID.users.title, focused: model.focus == .users)
    let count = model.visibleUsers.count
    drawBorderLabel(&canvas, rect, count == 0 ? "0/0" : "\(model.usersList.cursor + 1)/\(count)")
    // columns: id takes what the fixed columns leave
    let profileWidth = 8, questionsWidth = 10, taskWidth = 8
    let idWidth = max(6, inner.width - profileWidth - questionsWidth - taskWidth - 4)
    func mark(_ sort: UserSort) -> String { model.sort == sort ? (model.sortDescending ? " ▼" : " ▲") : "" }
    let header = column("User" + mark(.id), idWidth) + " " + column("Profile" + mark(.profile), profileWidth, alignRight: true)
        + " " + column("Questions" + mark(.questions), questionsWidth, alignRight: true) + "  " + column("Task", taskWidth)
    canvas.put(header, x: inner.x, y: inner.y, role: .header, maxWidth: inner.width)
    let list = Rect(x: inner.x, y: inner.y + 1, width: inner.width - 1, height: inner.height - 1)
    if count == 0 {
        canvas.put(model.filter.isEmpty ? "no users" : "no user matches \"\(model.filter)\"", x: list.x + 1, y: list.y, role: .dim)
    }
    drawList(&canvas, list, state: model.usersList, count: count, focused: model.focus == .users) { row in
        let user = data.users[model.visibleUsers[row]]
        return [
            Span(column(user.id, idWidth) + " "),
            Span(column("\(user.profile.count)", profileWidth, alignRight: true) + " "),
            Span(column("\(user.questions.count)", questionsWidth, alignRight: true) + "  "),
            Span(column(data.task.rawValue, taskWidth), .dim),
        ]
    }
    if let preview = layout.preview { drawProfilePreview(&canvas, model, preview, data: data) }
}

func drawProfilePreview(_ canvas: inout Canvas, _ model: AppModel, _ rect: Rect, data: WorkbenchData) {
    let inner = drawPane(&canvas, rect, title: PaneID.profile.title, focused: false)
    guard let u = model.highlightedUser else { return }
    let user = data.users[u]
    canvas.put("user \(user.id) · \(user.profile.count) items · \(user.questions.count) questions",
               x: inner.x + 1, y: inner.y, role: .header, maxWidth: inner.width - 1)
    let fields = data.task.profileFields.joined(separator: ", ")
    canvas.put("fields: \(fields)", x: inner.x + 1, y: inner.y + 1, role: .dim, maxWidth: inner.width - 1)
    for (i, item) in user.profile.prefix(max(0, inner.height - 3)).enumerated() {
        canvas.put(profileSummary(item, task: data.task), x: inner.x + 1, y: inner.y + 3 + i, role: .normal,
                   maxWidth: inner.width - 2)
    }
}
