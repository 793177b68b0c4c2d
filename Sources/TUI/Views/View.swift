/// Draws the whole workbench for `model` into `canvas` (resized to the model's size).
///
/// Pure: the same model always draws the same cells.
public func view(_ model: AppModel, into canvas: inout Canvas) {
    if canvas.size != model.size {
        canvas = Canvas(size: model.size)
    } else {
        canvas.clear()
    }
    if model.isTooSmall {
        drawTooSmall(&canvas, model.size)
        return
    }
    let layout = Layout(model)
    drawHeader(&canvas, model, layout.header)
    switch model.session {
    case .loading(let fraction, let label):
        drawLoading(&canvas, model, fraction: fraction, label: label)
    case .failed(let message):
        drawFailure(&canvas, model, message: message)
    case .loaded:
        switch model.screen {
        case .users: drawUsersScreen(&canvas, model, layout)
        case .user(let index): drawUserScreen(&canvas, model, layout, user: index)
        }
    }
    drawStatusBar(&canvas, model, layout.status)
    switch model.overlay {
    case .help(let scroll): drawHelp(&canvas, model, scroll: scroll)
    case .confirmQuit: drawConfirmQuit(&canvas, model)
    case nil: break
    }
}

/// Where the terminal cursor should be: at the end of the text being typed, else hidden.
public func cursorPosition(_ model: AppModel) -> Point? {
    guard !model.isTooSmall, model.overlay == nil else { return nil }
    let y = model.size.height - 1
    if let line = model.commandLine { return Point(x: min(model.size.width - 1, 1 + DisplayWidth.of(line.text)), y: y) }
    if model.filterEditing { return Point(x: min(model.size.width - 1, 1 + DisplayWidth.of(model.filter)), y: y) }
    return nil
}

/// The message shown below 80×24, centred.
public let tooSmallMessage = "terminal too small (needs 80×24)"

func drawTooSmall(_ canvas: inout Canvas, _ size: Size) {
    let lines = [tooSmallMessage, "now \(size.width)×\(size.height)"]
    for (i, line) in lines.enumerated() {
        let x = max(0, (size.width - DisplayWidth.of(line)) / 2)
        canvas.put(line, x: x, y: max(0, size.height / 2 - 1) + i, role: i == 0 ? .error : .dim)
    }
}

func drawHeader(_ canvas: inout Canvas, _ model: AppModel, _ rect: Rect) {
    var text = " HYDRA Workbench"
    if let data = model.data { text += " · \(data.title) · \(data.task.rawValue)" }
    if let u = model.openUser, let users = model.data?.users, users.indices.contains(u) { text += " · user \(users[u].id)" }
    canvas.put(DisplayWidth.truncate(text, to: rect.width), x: rect.x, y: rect.y, role: .title)
    if model.running.count > 0 {
        let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][model.ticks % 10]
        let busy = "\(spinner) \(model.running.values.sorted().first ?? "") "
        canvas.put(busy, x: rect.width - DisplayWidth.of(busy), y: rect.y, role: .dim)
    }
}

func drawStatusBar(_ canvas: inout Canvas, _ model: AppModel, _ rect: Rect) {
    canvas.fill(rect, role: .status)
    if let line = model.commandLine {
        canvas.fill(rect, role: .commandLine)
        canvas.put(":" + line.text, x: rect.x, y: rect.y, role: .commandLine)
        if !line.completions.isEmpty, rect.y > 0 {
            let list = " " + line.completions.joined(separator: "  ") + " "
            canvas.put(DisplayWidth.truncate(list, to: rect.width), x: rect.x, y: rect.y - 1, role: .overlay)
        }
        return
    }
    if model.filterEditing {
        canvas.fill(rect, role: .commandLine)
        canvas.put("/" + model.filter, x: rect.x, y: rect.y, role: .commandLine)
        return
    }
    let session = model.data?.title ?? model.sessionName
    var left = " \(session) │ "
    if model.data != nil {
        left += "\(model.visibleUsers.count) users"
        if !model.filter.isEmpty { left += " (filter: \(model.filter))" }
        left += " │ "
    }
    let help = " ? help "
    let used = canvas.put(left, x: rect.x, y: rect.y, role: .status, maxWidth: rect.width - DisplayWidth.of(help))
    if let message = model.statusMessage {
        canvas.put(message, x: rect.x + used, y: rect.y, role: model.statusIsError ? .error : .status,
                   maxWidth: rect.width - used - DisplayWidth.of(help))
    }
    canvas.put(help, x: rect.x + rect.width - DisplayWidth.of(help), y: rect.y, role: .statusKey)
}

func drawLoading(_ canvas: inout Canvas, _ model: AppModel, fraction: Double, label: String) {
    let width = min(60, model.size.width - 4)
    let box = Rect(x: (model.size.width - width) / 2, y: model.size.height / 2 - 3, width: width, height: 6)
    let inner = drawPane(&canvas, box, title: "Loading session", focused: true)
    let barWidth = inner.width - 8
    let filled = Int((Double(barWidth) * fraction).rounded())
    canvas.put(String(repeating: "█", count: filled), x: inner.x + 1, y: inner.y + 1, role: .progress)
    canvas.put(String(repeating: "░", count: barWidth - filled), x: inner.x + 1 + filled, y: inner.y + 1, role: .dim)
    canvas.put(column("\(Int(fraction * 100))%", 4, alignRight: true), x: inner.x + barWidth + 2, y: inner.y + 1, role: .normal)
    canvas.put(DisplayWidth.truncate(label, to: inner.width - 2), x: inner.x + 1, y: inner.y + 3, role: .dim)
}

func drawFailure(_ canvas: inout Canvas, _ model: AppModel, message: String) {
    let width = min(76, model.size.width - 4)
    let lines = TextWrap.wrap(message, width: width - 4)
    let box = Rect(x: (model.size.width - width) / 2, y: model.size.height / 2 - 3, width: width, height: lines.count + 4)
    let inner = drawPane(&canvas, box, title: "Could not load the session", focused: true)
    for (i, line) in lines.enumerated() { canvas.put(line, x: inner.x + 1, y: inner.y + i, role: .error) }
    canvas.put("press q to quit", x: inner.x + 1, y: inner.y + lines.count + 1, role: .dim)
}

/// Draws a centred modal box with `title` and returns its inside.
func drawModal(_ canvas: inout Canvas, _ size: Size, title: String, width: Int, height: Int) -> Rect {
    let w = min(width, size.width - 2), h = min(height, size.height - 2)
    let rect = Rect(x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h)
    canvas.fill(rect, role: .overlay)
    let inner = drawPane(&canvas, rect, title: title, focused: true)
    canvas.fill(inner, role: .overlay)
    return inner
}

func drawHelp(_ canvas: inout Canvas, _ model: AppModel, scroll: Int) {
    let lines = model.keys.helpLines()
    let width = (lines.map { DisplayWidth.of($0) }.max() ?? 40) + 4
    let inner = drawModal(&canvas, model.size, title: "Help: keys (Esc closes)", width: width, height: lines.count + 2)
    let top = min(scroll, max(0, lines.count - inner.height))
    for row in 0..<inner.height where top + row < lines.count {
        let line = lines[top + row]
        let role: StyleRole = line.hasPrefix(" ") ? .overlay : .header
        canvas.put(line, x: inner.x + 1, y: inner.y + row, role: role, maxWidth: inner.width - 1)
    }
}

func drawConfirmQuit(_ canvas: inout Canvas, _ model: AppModel) {
    let work = model.running.values.sorted().joined(separator: ", ")
    let lines = ["Work is running (\(work)).", "Quit anyway? y / n"]
    let width = max(40, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4)
    let inner = drawModal(&canvas, model.size, title: "Quit", width: width, height: 4)
    for (i, line) in lines.enumerated() {
        canvas.put(line, x: inner.x + 1, y: inner.y + i, role: .overlay, maxWidth: inner.width - 1)
    }
}
