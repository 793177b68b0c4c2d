import WorkbenchAPI

/// Where the session is.
public enum SessionState: Hashable, Sendable {
    case loading(fraction: Double, label: String)
    case loaded
    case failed(String)
}

/// A modal overlay on top of the screen.
public enum Overlay: Hashable, Sendable {
    /// The help: the typed filter and the selected entry.
    case help(filter: String, selected: Int)
    case confirmQuit
}

/// The `:` command line being edited.
public struct CommandLineState: Hashable, Sendable {
    /// The typed text (without the leading colon).
    public var text = ""
    /// Candidates shown after Tab, when more than one fits.
    public var completions: [String] = []
    public init(text: String = "") { self.text = text }
}

/// The whole UI state. It keeps only what is shared (size, theme, keys, status line, overlays,
/// command line, jobs, the session and its run); everything else belongs to the screens on
/// the navigation stack, the top one shown.
public struct AppModel: Sendable {
    public var size: Size
    /// The session's name before its data arrives.
    public var sessionName = "session"
    public var session: SessionState = .loading(fraction: 0, label: "starting")
    /// The loaded session.
    public internal(set) var snapshot: SessionSnapshot?
    /// Bumped whenever the session or its run results change, so screens recompute.
    public internal(set) var dataVersion = 0
    /// The navigation stack, never empty; the last is shown.
    public internal(set) var stack: [ScreenState] = []
    public var overlay: Overlay?
    public var commandLine: CommandLineState?
    public var statusMessage: String?
    public var statusIsError = false
    public var themes: [Theme]
    public var themeIndex = 0
    public var keys: ActionTable = .standard
    public internal(set) var jobs = JobTable()
    public internal(set) var run = RunState()
    /// History edits, re-fits and cold start curves (the what-if flow).
    public internal(set) var whatIf = WhatIfState()
    /// The monotonic clock as last told by a tick or a job batch.
    public internal(set) var now: Double = 0
    public internal(set) var ticks = 0
    public internal(set) var quitting = false
    /// The job loading the session.
    var loadJob: JobID?
    /// Navigation a screen asked for while it was being updated.
    var pendingNavigation: [Navigation] = []
    private var userIndex: [String: Int] = [:]

    /// The filter the outputs screen's navigation keeps when it opens the next question.
    var outputsFilter: OutcomeFilter = .all

    enum Navigation: Sendable { case push(Route), pop, replaceAll(Route), replaceTop(Route) }

    public init(size: Size, themes: [Theme] = [.defaultDark], statusMessage: String? = nil) {
        self.size = size
        self.themes = themes.isEmpty ? [.defaultDark] : themes
        self.statusMessage = statusMessage
        self.statusIsError = statusMessage != nil
        stack = [.users(UsersScreen())]
    }

    public var theme: Theme { themes[min(themeIndex, themes.count - 1)] }

    /// Whether the terminal is below the 80×24 minimum.
    public var isTooSmall: Bool { size.width < 80 || size.height < 24 }

    /// Whether panes sit side by side (at 120 columns and wider).
    public var isWide: Bool { size.width >= 120 }

    /// The route of the screen shown.
    public var route: Route { stack.last?.route ?? .users }

    /// The screen body: everything but the header and status rows.
    public var body: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 2)) }

    /// The user with `id`.
    public func user(_ id: String) -> UserEntry? {
        guard let snapshot, let i = userIndex[id], snapshot.users.indices.contains(i) else { return nil }
        return snapshot.users[i]
    }

    /// The user the screen shown is about (user, heads and question screens), for the what-if
    /// commands.
    public var currentUserID: String? {
        switch stack.last {
        case .user(let s)?: s.userID
        case .heads(let s)?: s.selectedUserID
        case .coldStart(let s)?: s.key == ColdStartScreen.allUsers ? nil : s.key
        case .question(let s)?: s.report?.userID ?? snapshot?.users.first { $0.questions.contains { $0.id == s.questionID } }?.id
        default: nil
        }
    }

    /// The task of the loaded session.
    public var task: TaskInfo? { snapshot?.task }

    /// Asks for a screen to be opened after the current update.
    mutating func navigate(to route: Route) { pendingNavigation.append(.push(route)) }

    /// Asks for the top screen to close after the current update.
    mutating func goBack() { pendingNavigation.append(.pop) }

    mutating func setSnapshot(_ snapshot: SessionSnapshot) {
        self.snapshot = snapshot
        userIndex = Dictionary(snapshot.users.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        dataVersion += 1
    }

    /// Replaces users whose heads or roles changed after a run.
    mutating func updateUsers(_ users: [UserEntry]) {
        guard var snapshot else { return }
        for user in users {
            if let i = userIndex[user.id] { snapshot.users[i] = user }
        }
        self.snapshot = snapshot
        dataVersion += 1
    }

    mutating func setInfo(_ text: String) {
        statusMessage = text
        statusIsError = false
    }

    mutating func setError(_ text: String) {
        statusMessage = text
        statusIsError = true
    }
}
