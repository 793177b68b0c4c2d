import WorkbenchAPI

/// Which questions the outputs screen's navigation visits.
public enum OutcomeFilter: String, CaseIterable, Sendable {
    case all
    /// The user's head picks something other than the global head.
    case differs
    /// … and scores better, or worse.
    case helped, hurt

    func matches(_ o: QuestionOutcome) -> Bool {
        switch self {
        case .all: true
        case .differs: o.basePick != o.personalPick
        case .helped: o.personalScore > o.baseScore
        case .hurt: o.personalScore < o.baseScore
        }
    }
}

/// Side by side for one question: zero-shot | RAG | base | personalized, each with its prompt and
/// answer, then the N candidates under both adapter heads with each head's pick.
public struct OutputsScreen: Screen {
    static let scope = ActionScope.outputs
    let questionID: String
    var route: Route { .outputs(questionID) }

    public internal(set) var load: QuestionLoad
    public internal(set) var fullPrompts = false
    public internal(set) var filter: OutcomeFilter = .all
    public internal(set) var candidates = ListState()

    init(questionID: String, job: JobID, filter: OutcomeFilter) {
        self.questionID = questionID
        self.filter = filter
        load = .pending(job)
    }

    static func open(_ questionID: String, filter: OutcomeFilter, _ app: inout AppModel) -> (OutputsScreen, [Command]) {
        let (id, command) = app.jobs.start(.inspect(questionID: questionID), label: "inspecting", owner: .outputs(questionID))
        return (OutputsScreen(questionID: questionID, job: id, filter: filter), [command])
    }

    func title(_ app: AppModel) -> String { "outputs \(DisplayText.clip(questionID, 30))" }

    public var report: QuestionReport? { load.report }

    /// The personalized prompt (what `:save-prompt` writes and `c` copies).
    var personalizedPrompt: String? { report?.outputs.first { $0.method == "hydra" }?.prompt ?? report?.outputs.last?.prompt }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        switch action {
        case .toggleFullPrompt:
            fullPrompts.toggle()
        case .copyPrompt:
            guard let prompt = personalizedPrompt, !prompt.isEmpty else {
                app.setError("no prompt to copy yet")
                return []
            }
            app.setInfo("personalized prompt copied to the terminal's clipboard (OSC 52)")
            return [.copyToClipboard(prompt)]
        case .cycleOutcomeFilter:
            let all = OutcomeFilter.allCases
            filter = all[((all.firstIndex(of: filter) ?? 0) + 1) % all.count]
            let outcomes = app.run.report?.questions ?? []
            app.setInfo(outcomes.isEmpty ? "no run results to filter on (r runs HYDRA)" : "\(outcomes.filter(filter.matches).count) questions: \(filter.rawValue) · n/p move through them")
        case .nextQuestion, .previousQuestion, .nextUserQuestion, .previousUserQuestion:
            let next = filter == .all ? QuestionNavigation.step(from: questionID, action: action, app) : filtered(action, app)
            if let next {
                app.pendingNavigation.append(.replaceTop(.outputs(next)))
                app.outputsFilter = filter
            } else {
                app.setInfo("no further question that way" + (filter == .all ? "" : " (filter: \(filter.rawValue))"))
            }
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = candidates.apply(action, count: report?.candidates.count ?? 0, height: 8)
        default:
            break
        }
        return []
    }

    /// The next or previous question (across users) that the filter keeps.
    func filtered(_ action: Action, _ app: AppModel) -> String? {
        let outcomes = app.run.report?.questions ?? []
        guard let here = outcomes.firstIndex(where: { $0.questionID == questionID }) else {
            return outcomes.first(where: filter.matches)?.questionID
        }
        let forward = action == .nextQuestion || action == .nextUserQuestion
        return forward ? outcomes[(here + 1)...].first(where: filter.matches)?.questionID
            : outcomes[..<here].last(where: filter.matches)?.questionID
    }

    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] {
        guard case .pending(let job) = load, job == id else { return [] }
        switch batch.end {
        case .result(.question(let report)): load = .loaded(report)
        case .failed(let message):
            load = .failed(message)
            app.setError(message)
        case .cancelled, .result, nil: break
        }
        return []
    }
}
