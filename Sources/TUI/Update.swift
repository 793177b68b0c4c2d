/// The commands to run when the app starts: load the session.
public func start(_ model: AppModel) -> (AppModel, [Command]) {
    var m = model
    let task = m.newTask("loading session")
    m.session = .loading(fraction: 0, label: "starting")
    return (m, [.loadSession(task: task), .applyTheme(m.theme)])
}

/// The workbench's update function: the new state for a message, and the work to start.
///
/// Pure: it never performs I/O or engine work itself; that is what the returned
/// ``Command``s are for.
public func update(_ model: AppModel, _ msg: Msg) -> (AppModel, [Command]) {
    var m = model
    var commands: [Command] = []
    switch msg {
    case .key(let key):
        commands = handleKey(&m, key)
    case .mouse(let event):
        commands = handleMouse(&m, event)
    case .resize(let size):
        m.size = size
    case .tick:
        m.ticks += 1
    case .loadProgress(let task, let fraction, let label):
        if m.running[task] != nil { m.session = .loading(fraction: min(max(fraction, 0), 1), label: label) }
    case .sessionLoaded(let task, let data):
        guard m.running.removeValue(forKey: task) != nil else { break }
        m.data = data
        m.session = .loaded
        m.indexUsers()
        m.refreshVisibleUsers()
        if !m.statusIsError { m.statusMessage = "loaded \(data.users.count) users" }
    case .loadFailed(let task, let message):
        guard m.running.removeValue(forKey: task) != nil else { break }
        m.session = .failed(message)
        setError(&m, "loading failed: \(message)")
    case .retrieved(let task, _, _, let items):
        m.running[task] = nil
        if m.retrieval?.task == task {
            m.retrieval?.items = items
            m.retrieval?.status = .done
        }
    case .retrieveFailed(let task, let message):
        m.running[task] = nil
        if m.retrieval?.task == task {
            m.retrieval?.status = .failed(message)
            setError(&m, "retrieval failed: \(message)")
        }
    case .cancelled(let task):
        m.running[task] = nil
    }
    keepCursorsVisible(&m)
    return (m, commands)
}

// MARK: - Keys

func handleKey(_ m: inout AppModel, _ key: Key) -> [Command] {
    switch m.overlay {
    case .confirmQuit:
        switch key {
        case .char("y"), .char("Y"), .enter, .ctrl("c"): return quitNow(&m)
        default: m.overlay = nil; return []
        }
    case .help(let current):
        // the overlay shows the help lines in a box two rows smaller than the screen, less its border
        let maxScroll = max(0, m.keys.helpLines().count - max(1, m.size.height - 4))
        let scroll = min(current, maxScroll)
        switch m.keys.action(for: key, in: nil) {
        case .moveDown: m.overlay = .help(scroll: min(maxScroll, scroll + 1))
        case .moveUp: m.overlay = .help(scroll: max(0, scroll - 1))
        case .pageDown: m.overlay = .help(scroll: min(maxScroll, scroll + 10))
        case .pageUp: m.overlay = .help(scroll: max(0, scroll - 10))
        case .top: m.overlay = .help(scroll: 0)
        case .bottom: m.overlay = .help(scroll: maxScroll)
        case .forceQuit: return quitNow(&m)
        default: m.overlay = nil
        }
        return []
    case nil:
        break
    }
    if m.commandLine != nil { return editCommandLine(&m, key) }
    if m.filterEditing { editFilter(&m, key); return [] }
    guard let action = m.keys.action(for: key, in: m.data == nil ? nil : m.focus) else { return [] }
    return perform(&m, action)
}

/// Applies an action to the model.
public func perform(_ m: inout AppModel, _ action: Action) -> [Command] {
    switch action {
    case .quit:
        if m.running.isEmpty { return quitNow(&m) }
        m.overlay = .confirmQuit
    case .forceQuit:
        return quitNow(&m)
    case .help:
        m.overlay = .help(scroll: 0)
    case .back:
        if m.openUser != nil {
            m.screen = .users
            m.focus = .users
        } else if !m.filter.isEmpty {
            m.filter = ""
            m.refreshVisibleUsers()
        }
    case .focusNext, .focusPrevious:
        let panes = m.focusablePanes
        let i = panes.firstIndex(of: m.focus) ?? 0
        let step = action == .focusNext ? 1 : panes.count - 1
        m.focus = panes[(i + step) % panes.count]
    case .moveUp: return moveCursor(&m, by: -1)
    case .moveDown: return moveCursor(&m, by: 1)
    case .pageUp: return moveCursor(&m, by: -max(1, Layout(m).listHeight(m.focus) - 1))
    case .pageDown: return moveCursor(&m, by: max(1, Layout(m).listHeight(m.focus) - 1))
    case .top: return moveCursor(&m, by: -Int(Int32.max))
    case .bottom: return moveCursor(&m, by: Int(Int32.max))
    case .open:
        if m.focus == .users, let user = m.highlightedUser { return openUser(&m, user) }
        if m.focus == .questions { m.focus = .retrieved }
    case .filter:
        if m.screen == .users, m.data != nil { m.filterEditing = true }
    case .cycleSort:
        let all = UserSort.allCases
        m.sort = all[((all.firstIndex(of: m.sort) ?? 0) + 1) % all.count]
        m.refreshVisibleUsers()
        setInfo(&m, "sorted by \(m.sort.rawValue)")
    case .reverseSort:
        m.sortDescending.toggle()
        m.refreshVisibleUsers()
    case .commandLine:
        m.commandLine = CommandLineState()
    case .nextTheme:
        m.themeIndex = (m.themeIndex + 1) % m.themes.count
        setInfo(&m, "theme: \(m.theme.name)")
        return [.applyTheme(m.theme)]
    case .moreResults, .fewerResults:
        m.k = min(100, max(1, m.k + (action == .moreResults ? 5 : -5)))
        setInfo(&m, "k = \(m.k)")
        return requestRetrieval(&m)
    }
    return []
}

func quitNow(_ m: inout AppModel) -> [Command] {
    m.overlay = nil
    m.quitting = true
    let cancels = m.running.keys.sorted().map { Command.cancel(task: $0) }
    m.running = [:]
    return cancels + [.quit]
}

func openUser(_ m: inout AppModel, _ user: Int) -> [Command] {
    m.screen = .user(user)
    m.focus = .questions
    m.profileList = ListState()
    m.questionsList = ListState()
    m.retrievedList = ListState()
    return requestRetrieval(&m)
}

func listCount(_ m: AppModel, _ pane: PaneID) -> Int {
    switch pane {
    case .users: return m.visibleUsers.count
    case .profile, .questions:
        guard let u = m.openUser, let users = m.data?.users, users.indices.contains(u) else { return 0 }
        return pane == .profile ? users[u].profile.count : users[u].questions.count
    case .retrieved: return m.retrieval?.items.count ?? 0
    }
}

func moveCursor(_ m: inout AppModel, by delta: Int) -> [Command] {
    let count = listCount(m, m.focus)
    switch m.focus {
    case .users: m.usersList.move(by: delta, count: count)
    case .profile: m.profileList.move(by: delta, count: count)
    case .retrieved: m.retrievedList.move(by: delta, count: count)
    case .questions:
        m.questionsList.move(by: delta, count: count)
        return requestRetrieval(&m)
    }
    return []
}

/// Starts retrieval for the open user's selected question unless it is already shown or
/// on its way; a superseded retrieval is cancelled.
func requestRetrieval(_ m: inout AppModel) -> [Command] {
    guard let u = m.openUser, let users = m.data?.users, users.indices.contains(u),
        !users[u].questions.isEmpty
    else { return [] }
    let q = m.questionsList.cursor
    if let r = m.retrieval, r.userIndex == u, r.questionIndex == q, r.k == m.k {
        if case .failed = r.status {} else { return [] }
    }
    var commands: [Command] = []
    if let r = m.retrieval, r.status == .pending, m.running[r.task] != nil {
        m.running[r.task] = nil
        commands.append(.cancel(task: r.task))
    }
    let task = m.newTask("retrieving")
    m.retrieval = RetrievalState(userIndex: u, questionIndex: q, k: m.k, task: task, status: .pending, items: [])
    m.retrievedList = ListState()
    commands.append(.retrieve(task: task, userIndex: u, questionIndex: q, k: m.k))
    return commands
}

func editFilter(_ m: inout AppModel, _ key: Key) {
    switch key {
    case .char(let c): m.filter.append(c)
    case .backspace: if !m.filter.isEmpty { m.filter.removeLast() }
    case .ctrl("u"): m.filter = ""
    case .enter: m.filterEditing = false
    case .escape, .ctrl("c"):
        m.filter = ""
        m.filterEditing = false
    default: return
    }
    m.usersList = ListState()
    m.refreshVisibleUsers()
}

func setInfo(_ m: inout AppModel, _ text: String) {
    m.statusMessage = text
    m.statusIsError = false
}

func setError(_ m: inout AppModel, _ text: String) {
    m.statusMessage = text
    m.statusIsError = true
}

// MARK: - Mouse

func handleMouse(_ m: inout AppModel, _ event: MouseEvent) -> [Command] {
    guard m.overlay == nil, m.data != nil, !m.isTooSmall else { return [] }
    let layout = Layout(m)
    guard let pane = layout.pane(at: event.position), m.focusablePanes.contains(pane) else { return [] }
    m.focus = pane
    switch event.kind {
    case .wheelUp: return moveCursor(&m, by: -3)
    case .wheelDown: return moveCursor(&m, by: 3)
    case .click:
        guard let rect = layout.panes[pane] else { return [] }
        let firstRow = rect.y + 1 + (pane == .users ? 1 : 0)
        let row = event.position.y - firstRow
        guard row >= 0, row < layout.listHeight(pane) else { return [] }
        let scroll: Int
        switch pane {
        case .users: scroll = m.usersList.scroll
        case .profile: scroll = m.profileList.scroll
        case .questions: scroll = m.questionsList.scroll
        case .retrieved: scroll = m.retrievedList.scroll
        }
        let current: Int
        switch pane {
        case .users: current = m.usersList.cursor
        case .profile: current = m.profileList.cursor
        case .questions: current = m.questionsList.cursor
        case .retrieved: current = m.retrievedList.cursor
        }
        let target = scroll + row
        guard target < listCount(m, pane) else { return [] }
        return moveCursor(&m, by: target - current)
    }
}

// MARK: - Scrolling

func keepCursorsVisible(_ m: inout AppModel) {
    guard !m.isTooSmall else { return }
    let layout = Layout(m)
    m.usersList.keepVisible(height: layout.listHeight(.users), count: listCount(m, .users))
    m.profileList.keepVisible(height: layout.listHeight(.profile), count: listCount(m, .profile))
    m.questionsList.keepVisible(height: layout.listHeight(.questions), count: listCount(m, .questions))
    m.retrievedList.keepVisible(height: layout.listHeight(.retrieved), count: listCount(m, .retrieved))
}
