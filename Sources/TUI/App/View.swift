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
    drawHeader(&canvas, model)
    switch model.session {
    case .loading(let fraction, let label):
        drawLoading(&canvas, model, fraction: fraction, label: label)
    case .failed(let message):
        drawFailure(&canvas, model, message: message)
    case .loaded:
        model.stack.last?.draw(&canvas, body: model.body, model)
    }
    drawStatusBar(&canvas, model)
    switch model.overlay {
    case .help(let filter, let selected): drawHelp(&canvas, model, filter: filter, selected: selected)
    case .confirmQuit: drawConfirmQuit(&canvas, model)
    case nil: break
    }
}

/// Where the terminal cursor should be: at the end of the text being typed, else hidden.
public func cursorPosition(_ model: AppModel) -> Point? {
    guard !model.isTooSmall else { return nil }
    if let line = model.commandLine {
        return Point(x: min(model.size.width - 1, 1 + DisplayWidth.of(line.text)), y: model.size.height - 1)
    }
    if case .users(let screen) = model.stack.last, screen.filterEditing {
        return Point(x: min(model.size.width - 1, 1 + DisplayWidth.of(screen.filter)), y: model.size.height - 1)
    }
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

func drawHeader(_ canvas: inout Canvas, _ model: AppModel) {
    let width = model.size.width
    var text = " HYDRA Workbench"
    if let snapshot = model.snapshot { text += " · \(DisplayText.line(snapshot.title)) · \(snapshot.task.name)" }
    if model.session == .loaded, let screen = model.stack.last { text += " · " + screen.title(model) }
    var right = ""
    if case .running = model.run.status {
        let stage = model.run.current.map { " \($0.rawValue)" } ?? ""
        right = "\(spinner(model)) run\(stage) "
    } else if let label = model.jobs.labels.first {
        right = "\(spinner(model)) \(label) "
    }
    let used = canvas.put(text, x: 0, y: 0, role: .title, maxWidth: max(0, width - DisplayWidth.of(right) - 1))
    if !right.isEmpty, used + DisplayWidth.of(right) < width {
        canvas.put(right, x: width - DisplayWidth.of(right), y: 0, role: .dim)
    }
}

func spinner(_ model: AppModel) -> String {
    ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][model.ticks % 10]
}

func drawStatusBar(_ canvas: inout Canvas, _ model: AppModel) {
    let y = model.size.height - 1, width = model.size.width
    let rect = Rect(x: 0, y: y, width: width, height: 1)
    canvas.fill(rect, role: .status)
    if let line = model.commandLine {
        canvas.fill(rect, role: .commandLine)
        canvas.put(":" + line.text, x: 0, y: y, role: .commandLine, maxWidth: width)
        if !line.completions.isEmpty, y > 0 {
            let list = " " + line.completions.joined(separator: "  ") + " "
            canvas.put(DisplayWidth.truncate(list, to: width), x: 0, y: y - 1, role: .overlay)
        }
        return
    }
    if case .users(let screen) = model.stack.last, screen.filterEditing {
        canvas.fill(rect, role: .commandLine)
        canvas.put("/" + screen.filter, x: 0, y: y, role: .commandLine, maxWidth: width)
        return
    }
    let session = DisplayText.line(model.snapshot?.title ?? model.sessionName)
    var left = " \(session) │ "
    switch model.run.status {
    case .idle: break
    case .running: left += "running │ "
    case .finished(let saved): left += saved ? "results saved │ " : "run finished │ "
    case .failed: left += "run failed │ "
    case .cancelled: left += "run stopped │ "
    }
    let help = " ? help "
    let used = canvas.put(left, x: 0, y: y, role: .status, maxWidth: width - DisplayWidth.of(help))
    if let message = model.statusMessage {
        canvas.put(DisplayText.line(message), x: used, y: y, role: model.statusIsError ? .error : .status,
                   maxWidth: width - used - DisplayWidth.of(help))
    }
    canvas.put(help, x: width - DisplayWidth.of(help), y: y, role: .statusKey)
}

func drawLoading(_ canvas: inout Canvas, _ model: AppModel, fraction: Double, label: String) {
    let width = min(60, model.size.width - 4)
    let box = Rect(x: (model.size.width - width) / 2, y: model.size.height / 2 - 3, width: width, height: 6)
    let inner = drawPane(&canvas, box, title: "Loading session", focused: true)
    let barWidth = inner.width - 8
    drawBar(&canvas, x: inner.x + 1, y: inner.y + 1, width: barWidth, fraction: fraction)
    canvas.put(column("\(Int(fraction * 100))%", 4, alignRight: true), x: inner.x + barWidth + 2, y: inner.y + 1, role: .normal)
    canvas.put(DisplayWidth.truncate(DisplayText.line(label), to: inner.width - 2), x: inner.x + 1, y: inner.y + 3, role: .dim)
}

/// A progress bar of `width` cells.
func drawBar(_ canvas: inout Canvas, x: Int, y: Int, width: Int, fraction: Double) {
    guard width > 0 else { return }
    let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    let filled = Int((Double(width) * f).rounded())
    canvas.put(String(repeating: "█", count: filled), x: x, y: y, role: .progress)
    canvas.put(String(repeating: "░", count: width - filled), x: x + filled, y: y, role: .dim)
}

func drawFailure(_ canvas: inout Canvas, _ model: AppModel, message: String) {
    let width = min(76, model.size.width - 4)
    let lines = TextWrap.wrap(DisplayText.line(message), width: width - 4)
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

func drawHelp(_ canvas: inout Canvas, _ model: AppModel, filter: String, selected: Int) {
    let entries = helpEntries(model, filter: filter)
    let inner = drawModal(&canvas, model.size, title: "Help: type to filter · ↑↓ select · Enter runs · Esc closes",
                          width: min(100, model.size.width - 4), height: model.size.height - 4)
    canvas.put("filter: " + filter + "▏", x: inner.x + 1, y: inner.y, role: .header, maxWidth: inner.width - 1)
    let list = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
    if entries.isEmpty { canvas.put("nothing matches \"\(filter)\"", x: list.x + 1, y: list.y, role: .dim) }
    var state = ListState(cursor: selected)
    state.keepVisible(height: list.height, count: entries.count)
    drawList(&canvas, list, state: state, count: entries.count, focused: true) { i in
        let e = entries[i]
        return [
            Span(column(e.scope.title, 11), .dim), Span(column(e.keys, 14)), Span(column(e.command ?? "", 22), .header),
            Span(e.summary),
        ]
    }
}

func drawConfirmQuit(_ canvas: inout Canvas, _ model: AppModel) {
    let work = model.jobs.labels.joined(separator: ", ")
    let lines = ["Work is running (\(work)).", "Quit anyway? y / n"]
    let width = max(40, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4)
    let inner = drawModal(&canvas, model.size, title: "Quit", width: width, height: 4)
    for (i, line) in lines.enumerated() {
        canvas.put(line, x: inner.x + 1, y: inner.y + i, role: .overlay, maxWidth: inner.width - 1)
    }
}

/// Writes `label` right-aligned into the top border of `rect` (counts, sparklines).
func drawBorderLabel(_ canvas: inout Canvas, _ rect: Rect, _ label: String, role: StyleRole = .dim) {
    let text = " " + label + " "
    let width = DisplayWidth.of(text)
    guard rect.width > width + 20 else { return }
    canvas.put(text, x: rect.x + rect.width - 2 - width, y: rect.y, role: role)
}

/// `3/10`, or `0/0`.
func position(_ state: ListState, _ count: Int) -> String {
    count == 0 ? "0/0" : "\(state.cursor + 1)/\(count)"
}

/// A number with `digits` decimals, without Foundation's formatter.
func fixed(_ value: Double, _ digits: Int = 2) -> String {
    guard value.isFinite else { return value.isNaN ? "—" : (value > 0 ? "∞" : "-∞") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return value > 0 ? "∞" : "-∞" }
    let n = Int(scaled)
    let whole = n / Int(scale), fraction = n % Int(scale)
    var text = (value < 0 && n != 0 ? "-" : "") + "\(whole)"
    if digits > 0 {
        let f = String(fraction)
        text += "." + String(repeating: "0", count: digits - f.count) + f
    }
    return text
}

/// Signed: `+0.125`, `-0.040`.
func signed(_ value: Double, _ digits: Int = 3) -> String {
    let text = fixed(value, digits)
    return value > 0 && text != fixed(0, digits) ? "+" + text : text
}

/// `1m 05s`, `42s`, `1h 03m`.
func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "—" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m " + (s % 60 < 10 ? "0" : "") + "\(s % 60)s" }
    return "\(s / 3600)h " + ((s % 3600) / 60 < 10 ? "0" : "") + "\((s % 3600) / 60)m"
}
