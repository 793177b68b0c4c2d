import WorkbenchAPI

/// The retrieved items shown for one question (or on their way).
public struct RetrievalState: Sendable {
    public enum Status: Sendable, Equatable { case pending, done, failed(String) }
    public var questionID: String
    public var k: Int
    public var job: JobID
    public var status: Status
    public var hits: [RetrievedHit]
}

/// One user: the history, the questions (their varying part and gold) and the retriever's
/// top-k for the selected question.
public struct UserScreen: Screen {
    public enum Pane: CaseIterable, Sendable { case profile, questions, retrieved }

    static let scope = ActionScope.user
    let userID: String
    var route: Route { .user(userID) }

    public internal(set) var focus: Pane = .questions
    public internal(set) var profileList = ListState()
    public internal(set) var questionsList = ListState()
    public internal(set) var retrievedList = ListState()
    public internal(set) var retrieval: RetrievalState?
    public internal(set) var k = 10
    /// After a re-fit: whether the what-if pane shows the re-fit's rankings (else the run's).
    public internal(set) var showRefit = true

    init(userID: String) { self.userID = userID }

    func title(_ app: AppModel) -> String { "user \(DisplayText.clip(userID, 30))" }

    /// Starts the retrieval of the first question.
    mutating func start(_ app: inout AppModel) -> [Command] { requestRetrieval(&app) }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        guard let user = app.user(userID) else { return [] }
        let layout = UserLayout(app.body, wide: app.isWide)
        switch action {
        case .focusNext, .focusPrevious:
            let all = Pane.allCases
            let step = action == .focusNext ? 1 : all.count - 1
            focus = all[((all.firstIndex(of: focus) ?? 0) + step) % all.count]
            return []
        case .open:
            if focus == .questions, user.questions.indices.contains(questionsList.cursor) {
                app.navigate(to: .question(user.questions[questionsList.cursor].id))
            }
            return []
        case .moreResults, .fewerResults:
            return setK(min(100, max(1, k + (action == .moreResults ? 5 : -5))), &app)
        case .toggleItem:
            let added = app.whatIf.edit(of: userID).added
            if user.profile.indices.contains(profileList.cursor) {
                app.toggleItems(userID, [user.profile[profileList.cursor].id])
            } else if added.indices.contains(profileList.cursor - user.profile.count) {
                app.setInfo("a written item goes with u (undo)")
            } else {
                app.setInfo("select a history item first (Tab to the profile pane)")
            }
            return []
        case .undoEdit, .redoEdit:
            app.undoEdit(userID, redo: action == .redoEdit)
            return []
        case .flipFit:
            guard app.whatIf.refits[userID] != nil else {
                app.setInfo("no re-fit yet: take items out (Space), then F")
                return []
            }
            showRefit.toggle()
            app.setInfo(showRefit ? "showing the re-fit" : "showing the run's fit")
            return []
        default:
            break
        }
        switch focus {
        case .profile:
            let count = user.profile.count + app.whatIf.edit(of: userID).added.count
            _ = profileList.apply(action, count: count, height: layout.height(.profile))
        case .retrieved: _ = retrievedList.apply(action, count: retrieval?.hits.count ?? 0, height: layout.height(.retrieved))
        case .questions:
            if questionsList.apply(action, count: user.questions.count, height: layout.height(.questions)) {
                return requestRetrieval(&app)
            }
        }
        return []
    }

    mutating func setK(_ value: Int, _ app: inout AppModel) -> [Command] {
        k = value
        app.setInfo("k = \(k)")
        return requestRetrieval(&app)
    }

    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command] {
        guard let user = app.user(userID) else { return [] }
        let layout = UserLayout(body, wide: app.isWide)
        guard let pane = Pane.allCases.first(where: { layout.rect($0).contains(event.position) }) else { return [] }
        focus = pane
        let action: Action
        switch event.kind {
        case .wheelUp: action = .moveUp
        case .wheelDown: action = .moveDown
        case .click:
            let inner = layout.rect(pane).inset(1)
            let row = event.position.y - inner.y
            guard row >= 0, row < layout.height(pane) else { return [] }
            switch pane {
            case .profile: profileList.cursor = min(max(0, user.profile.count - 1), profileList.scroll + row)
            case .retrieved: retrievedList.cursor = min(max(0, (retrieval?.hits.count ?? 1) - 1), retrievedList.scroll + row)
            case .questions:
                questionsList.cursor = min(max(0, user.questions.count - 1), questionsList.scroll + row)
                return requestRetrieval(&app)
            }
            return []
        }
        return perform(action, &app)
    }

    mutating func layout(body: Rect) {
        let layout = UserLayout(body, wide: body.width >= 120)
        // counts live in the session; the cursor was clamped when it moved, so only scrolling is fixed here
        profileList.keepVisible(height: layout.height(.profile), count: profileList.cursor + 1)
        questionsList.keepVisible(height: layout.height(.questions), count: questionsList.cursor + 1)
        retrievedList.keepVisible(height: layout.height(.retrieved), count: retrieval?.hits.count ?? 0)
    }

    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] {
        guard retrieval?.job == id else { return [] }
        switch batch.end {
        case .result(.retrieved(let hits)):
            retrieval?.hits = hits
            retrieval?.status = .done
        case .failed(let message):
            retrieval?.status = .failed(message)
            app.setError("retrieval failed: \(message)")
        case .cancelled, .result, nil:
            break
        }
        return []
    }

    /// Starts retrieval for the selected question unless it is shown or on its way; a
    /// superseded retrieval is cancelled.
    mutating func requestRetrieval(_ app: inout AppModel) -> [Command] {
        guard let user = app.user(userID), user.questions.indices.contains(questionsList.cursor) else { return [] }
        let question = user.questions[questionsList.cursor].id
        if let r = retrieval, r.questionID == question, r.k == k {
            if case .failed = r.status {} else { return [] }
        }
        var commands: [Command] = []
        if let r = retrieval, r.status == .pending, let cancel = app.jobs.cancel(r.job) { commands.append(cancel) }
        let (id, start) = app.jobs.start(.retrieve(userID: userID, questionID: question, k: k), label: "retrieving", owner: route)
        retrieval = RetrievalState(questionID: question, k: k, job: id, status: .pending, hits: [])
        retrievedList = ListState()
        commands.append(start)
        return commands
    }
}
