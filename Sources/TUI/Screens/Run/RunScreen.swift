import WorkbenchAPI

/// The run: one row per stage with progress, rate, elapsed and time left, and the run's log.
public struct RunScreen: Screen {
    static let scope = ActionScope.run
    var route: Route { .run }
    public internal(set) var logScroll = ListState()

    init() {}

    func title(_ app: AppModel) -> String { "run" }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        let count = app.run.log.count
        _ = logScroll.apply(action, count: count, height: RunLayout(app.body).logHeight)
        return []
    }

    mutating func refresh(_ app: AppModel) {
        // follow the log's end unless the user scrolled up
        if logScroll.cursor >= app.run.log.count - 2 { logScroll.cursor = max(0, app.run.log.count - 1) }
    }

    mutating func layout(body: Rect) {
        logScroll.keepVisible(height: RunLayout(body).logHeight, count: logScroll.cursor + 1)
    }
}

struct RunLayout {
    var stages: Rect
    var log: Rect

    init(_ body: Rect) {
        let stagesHeight = min(body.height - 4, RunStage.allCases.count + 7)
        (stages, log) = body.splitRows(max(3, stagesHeight))
    }

    var logHeight: Int { max(0, log.height - 2) }
}

extension RunScreen {
    static let table = TableView(columns: [
        TableColumn("Stage", width: 10), TableColumn("Progress"), TableColumn("Done", width: 13, alignRight: true),
        TableColumn("Rate", width: 26, alignRight: true), TableColumn("Elapsed", width: 8, alignRight: true),
        TableColumn("Left", width: 8, alignRight: true), TableColumn("State", width: 8),
    ])

    func draw(_ canvas: inout Canvas, body: Rect, _ app: AppModel) {
        let layout = RunLayout(body)
        let run = app.run
        let inner = drawPane(&canvas, layout.stages, title: "Run · " + statusText(run), focused: true)
        if let startedAt = run.startedAt, run.isRunning {
            drawBorderLabel(&canvas, layout.stages, "elapsed " + duration(app.now - startedAt))
        }
        let stages = RunStage.allCases
        let tableRect = Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height, stages.count + 1))
        let widths = Self.table.widths(for: tableRect.width - 1)
        Self.table.draw(&canvas, in: tableRect, state: ListState(cursor: -1), count: stages.count, focused: false) { row in
            let stage = stages[row]
            guard let s = run.stages[stage] else {
                return [[Span(stage.rawValue, .dim)], [Span(String(repeating: "·", count: max(0, widths[1])), .dim)], [], [], [], [], [Span("waiting", .dim)]]
            }
            let u = s.update
            let fraction = u.total > 0 ? Double(u.done) / Double(u.total) : (isDone(u) ? 1 : 0)
            let filled = Int((Double(widths[1]) * min(max(fraction, 0), 1)).rounded())
            let bar = [Span(String(repeating: "█", count: filled), .progress), Span(String(repeating: "░", count: max(0, widths[1] - filled)), .dim)]
            // a rate says something only where a stage works through many units
            let rate = [.labels, .embed, .inference].contains(stage) ? run.rate(stage, now: app.now) : nil
            var rateText = rate.map { fixed($0.perSecond, $0.perSecond < 10 ? 2 : 0) + " " + unit(stage) + "/s" } ?? ""
            if let tps = u.tokensPerSecond { rateText = fixed(tps, 0) + " tok/s " + rateText }
            let state: Span
            if isDone(u) {
                state = Span("done", .scoreUp)
            } else if case .failed = run.status, run.current == stage {
                state = Span("failed", .error)
            } else if run.status == .cancelled, run.current == stage {
                state = Span("stopped", .dim)
            } else {
                state = Span(run.isRunning ? "running" : "—", run.isRunning ? .highlight : .dim)
            }
            let left = isDone(u) ? "" : (rate?.left).map(duration) ?? ""
            return [
                [Span(stage.rawValue)], bar, [Span("\(u.done)/\(u.total)")], [Span(rateText)],
                [Span(run.elapsed(stage, now: app.now).map(duration) ?? "")], [Span(left)], [state],
            ]
        }
        var y = tableRect.y + tableRect.height + 1
        switch run.status {
        case .failed(let message):
            let stage = run.current.map { "in \($0.rawValue): " } ?? ""
            for line in TextWrap.wrap("failed " + stage + DisplayText.line(message), width: inner.width - 2).prefix(2) {
                canvas.put(line, x: inner.x + 1, y: y, role: .error)
                y += 1
            }
            canvas.put("r resumes: LLM calls, embeddings and weights already done are kept in the session store", x: inner.x + 1, y: y, role: .dim, maxWidth: inner.width - 2)
        case .idle:
            canvas.put("not run yet in this session · r runs HYDRA (all methods) in the background", x: inner.x + 1, y: y, role: .dim, maxWidth: inner.width - 2)
        case .cancelled:
            canvas.put("stopped · r resumes from the session store", x: inner.x + 1, y: y, role: .dim, maxWidth: inner.width - 2)
        case .running:
            canvas.put("x stops at the next LLM call or training step · 3 shows the loss · the workbench stays usable", x: inner.x + 1, y: y, role: .dim, maxWidth: inner.width - 2)
        case .finished(let saved):
            let text = saved ? "results from the session store (no LLM call made) · 4 shows them · r re-runs (cached)" : "finished · 4 shows the results"
            canvas.put(text, x: inner.x + 1, y: y, role: .scoreUp, maxWidth: inner.width - 2)
        }

        let logInner = drawPane(&canvas, layout.log, title: "Log", focused: false)
        let log = run.log
        var state = logScroll
        state.keepVisible(height: logInner.height, count: log.count)
        drawList(&canvas, Rect(x: logInner.x, y: logInner.y, width: logInner.width - 1, height: logInner.height), state: ListState(cursor: -1, scroll: state.scroll), count: log.count, focused: false) { i in
            [Span(DisplayText.line(log[i]), .dim)]
        }
    }

    func statusText(_ run: RunState) -> String {
        switch run.status {
        case .idle: "not run"
        case .running: "running"
        case .finished(let saved): saved ? "finished (saved)" : "finished"
        case .failed: "failed"
        case .cancelled: "stopped"
        }
    }

    func isDone(_ update: StageUpdate) -> Bool {
        if case .done = update.state { return true }
        return false
    }

    func unit(_ stage: RunStage) -> String {
        switch stage {
        case .labels, .inference: "prompts"
        case .embed: "texts"
        case .training, .fit: "models"
        case .load, .evaluate: "steps"
        }
    }
}
