import WorkbenchAPI

/// The reranker debugger: one question's BM25 top-k under three rankings side by side (BM25,
/// the reranker with the global head, with the user's head), why the selected item moved, the
/// agreement between the rankings, and counterfactuals on demand.
public struct QuestionScreen: Screen {
    public enum Column: CaseIterable, Sendable { case bm25, base, personal }

    static let scope = ActionScope.question
    let questionID: String
    var route: Route { .question(questionID) }

    public internal(set) var load: QuestionLoad
    /// The selected item (an index into the report's items), and the ranking the cursor walks.
    public internal(set) var selected = 0
    public internal(set) var focus: Column = .personal
    public internal(set) var showDense = false
    public internal(set) var counterfactuals: [CounterfactualKey: CounterfactualState] = [:]
    /// Scroll of the "why" pane.
    public internal(set) var whyScroll = 0

    init(questionID: String, job: JobID) {
        self.questionID = questionID
        load = .pending(job)
    }

    /// Starts the inspection of `questionID`.
    static func open(_ questionID: String, _ app: inout AppModel) -> (QuestionScreen, [Command]) {
        let (id, command) = app.jobs.start(.inspect(questionID: questionID), label: "inspecting", owner: .question(questionID))
        return (QuestionScreen(questionID: questionID, job: id), [command])
    }

    func title(_ app: AppModel) -> String { "question \(DisplayText.clip(questionID, 30))" }

    public var report: QuestionReport? { load.report }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        switch action {
        case .focusNext, .focusPrevious:
            let all = Column.allCases
            let step = action == .focusNext ? 1 : all.count - 1
            focus = all[((all.firstIndex(of: focus) ?? 0) + step) % all.count]
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            guard let report else { return [] }
            let order = Rankings(report).order(focus)
            var list = ListState(cursor: order.firstIndex(of: selected) ?? 0)
            _ = list.apply(action, count: order.count, height: 10)
            if order.indices.contains(list.cursor) { selected = order[list.cursor] }
            whyScroll = 0
        case .toggleDense:
            showDense.toggle()
            app.setInfo(showDense ? "dense top-k shown" : "dense top-k hidden")
        case .itemAlone: return counterfactual(.itemAlone, &app)
        case .leaveOut: return counterfactual(.leaveOut, &app)
        case .open, .showOutputs:
            app.navigate(to: .outputs(questionID))
        case .nextQuestion, .previousQuestion, .nextUserQuestion, .previousUserQuestion:
            if let next = QuestionNavigation.step(from: questionID, action: action, app) {
                app.pendingNavigation.append(.replaceTop(.question(next)))
            } else {
                app.setInfo("no further question that way")
            }
        case .scrollWhyDown: whyScroll += 3
        case .scrollWhyUp: whyScroll = max(0, whyScroll - 3)
        default:
            break
        }
        return []
    }

    mutating func counterfactual(_ kind: CounterfactualKind, _ app: inout AppModel) -> [Command] {
        guard let report, report.items.indices.contains(selected) else { return [] }
        let item = report.items[selected].itemID
        let key = CounterfactualKey(itemID: item, kind: kind)
        if case .running? = counterfactuals[key] {
            app.setInfo("that counterfactual is already running")
            return []
        }
        let (id, command) = app.jobs.start(
            .counterfactual(questionID: questionID, itemID: item, kind: kind), label: "counterfactual", owner: route)
        counterfactuals[key] = .running(id)
        app.setInfo("\(kind.rawValue) for \(DisplayText.clip(item, 20)): at most \(report.counterfactualCalls) LLM calls, cached after")
        return [command]
    }

    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] {
        if case .pending(let job) = load, job == id {
            switch batch.end {
            case .result(.question(let report)):
                load = .loaded(report)
                selected = Rankings(report).order(report.hasPersonalHeads ? .personal : .base).first ?? 0
                if !report.hasPersonalHeads { focus = .base }
            case .failed(let message):
                load = .failed(message)
                app.setError(message)
            case .cancelled, .result, nil:
                break
            }
            return []
        }
        guard let key = counterfactuals.first(where: { if case .running(let job) = $0.value { job == id } else { false } })?.key else {
            return []
        }
        switch batch.end {
        case .result(.counterfactual(let report)):
            counterfactuals[key] = .done(report)
            app.setInfo("\(key.kind.rawValue): \(report.llmCalls) new LLM calls")
        case .failed(let message):
            counterfactuals[key] = .failed(message)
            app.setError("counterfactual failed: \(message)")
        case .cancelled:
            counterfactuals[key] = nil
        case .result, nil:
            break
        }
        return []
    }
}

/// Moving between questions: of the same user, or across users, in the session's order.
enum QuestionNavigation {
    static func step(from questionID: String, action: Action, _ app: AppModel) -> String? {
        guard let users = app.snapshot?.users else { return nil }
        let all = users.flatMap { user in user.questions.map { (user: user.id, question: $0.id) } }
        guard let here = all.firstIndex(where: { $0.question == questionID }) else { return nil }
        let user = all[here].user
        switch action {
        case .nextQuestion:
            return all[(here + 1)...].first { $0.user == user }?.question
        case .previousQuestion:
            return all[..<here].last { $0.user == user }?.question
        case .nextUserQuestion:
            return all[(here + 1)...].first { $0.user != user }?.question
        case .previousUserQuestion:
            guard let previous = all[..<here].last(where: { $0.user != user }) else { return nil }
            return all.first { $0.user == previous.user }?.question
        default:
            return nil
        }
    }
}
