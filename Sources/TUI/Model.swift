import Foundation
import LaMP

/// The cursor and scroll offset of a list.
public struct ListState: Hashable, Sendable {
    /// The selected row.
    public var cursor = 0
    /// The first visible row.
    public var scroll = 0

    /// A list position.
    public init(cursor: Int = 0, scroll: Int = 0) {
        self.cursor = cursor
        self.scroll = scroll
    }

    /// Moves the cursor by `delta`, clamped to `0..<count`.
    public mutating func move(by delta: Int, count: Int) {
        cursor = count == 0 ? 0 : min(max(0, cursor + delta), count - 1)
    }

    /// Adjusts the scroll offset so the cursor is inside a viewport of `height` rows.
    public mutating func keepVisible(height: Int, count: Int) {
        cursor = count == 0 ? 0 : min(max(0, cursor), count - 1)
        guard height > 0 else { scroll = 0; return }
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, min(scroll, max(0, count - height)))
    }
}

/// The columns the users table can be sorted by.
public enum UserSort: String, CaseIterable, Hashable, Sendable {
    case id, profile, questions
}

/// What the main area shows.
public enum ScreenID: Hashable, Sendable {
    case users
    /// One user, by index into `WorkbenchData.users`.
    case user(Int)
}

/// Where the session is.
public enum SessionState: Hashable, Sendable {
    case loading(fraction: Double, label: String)
    case loaded
    case failed(String)
}

/// A modal overlay on top of the screen.
public enum Overlay: Hashable, Sendable {
    case help(scroll: Int)
    case confirmQuit
}

/// The BM25 results shown for one question (or being fetched).
public struct RetrievalState: Hashable, Sendable {
    /// Whether the results are on their way, here, or failed.
    public enum Status: Hashable, Sendable { case pending, done, failed(String) }
    /// The user asked about.
    public var userIndex: Int
    /// The question.
    public var questionIndex: Int
    /// How many items were asked for.
    public var k: Int
    /// The command that fetches them.
    public var task: Int
    /// Where the request is.
    public var status: Status
    /// The hits, best first.
    public var items: [RetrievedItem]
}

/// The `:` command line being edited.
public struct CommandLineState: Hashable, Sendable {
    /// The typed text (without the leading colon).
    public var text = ""
    /// Candidates shown after Tab, when more than one fits.
    public var completions: [String] = []
}

/// The whole UI state, as a value. ``update(_:_:)`` is the only thing that changes it.
public struct AppModel: Sendable {
    /// The terminal size.
    public var size: Size
    /// The session's name before its data arrives (the status bar shows it while loading).
    public var sessionName = "session"
    /// Where loading is.
    public var session: SessionState = .loading(fraction: 0, label: "starting")
    /// The session, once loaded.
    public var data: WorkbenchData?
    /// The screen shown.
    public var screen: ScreenID = .users
    /// The pane that gets keys.
    public var focus: PaneID = .users
    /// The modal shown on top, if any.
    public var overlay: Overlay?

    // users table
    /// Cursor and scroll of the users table.
    public var usersList = ListState()
    /// The users table's sort column.
    public var sort: UserSort = .id
    /// Whether the sort is reversed.
    public var sortDescending = false
    /// The `/` filter text (matches ids and text, case-insensitively).
    public var filter = ""
    /// Whether keys go to the filter input.
    public var filterEditing = false
    /// Indices into `data.users` after filtering and sorting.
    public internal(set) var visibleUsers: [Int] = []
    /// Lower-cased id and text of every user, for `/` filtering.
    var searchText: [String] = []

    // user screen
    /// Cursor and scroll of the Profile pane.
    public var profileList = ListState()
    /// Cursor and scroll of the Questions pane.
    public var questionsList = ListState()
    /// Cursor and scroll of the Retrieved pane.
    public var retrievedList = ListState()
    /// The BM25 results for the selected question.
    public var retrieval: RetrievalState?
    /// How many items BM25 returns.
    public var k = 10

    /// The `:` command line, while open.
    public var commandLine: CommandLineState?
    /// The status bar message.
    public var statusMessage: String?
    /// Whether the message is an error (drawn in the error role).
    public var statusIsError = false

    /// The themes the theme key cycles through.
    public var themes: [Theme]
    /// The theme in use, as an index into `themes`.
    public var themeIndex = 0
    /// The key bindings (the help overlay is generated from them).
    public var keys: KeyBindings = .standard

    /// Running commands by task id, with a label for the quit confirmation.
    public var running: [Int: String] = [:]
    /// The id the next command gets.
    public var nextTask = 1
    /// Ticks received (animates the spinner).
    public var ticks = 0
    /// Set once the app decided to quit.
    public var quitting = false

    /// A fresh model of `size` with `themes` (the first is used) and an optional status message.
    public init(size: Size, themes: [Theme] = [.defaultDark], statusMessage: String? = nil) {
        self.size = size
        self.themes = themes.isEmpty ? [.defaultDark] : themes
        self.statusMessage = statusMessage
        self.statusIsError = statusMessage != nil
    }

    /// The theme in use.
    public var theme: Theme { themes[min(themeIndex, themes.count - 1)] }

    /// Whether the terminal is below the 80×24 minimum.
    public var isTooSmall: Bool { size.width < 80 || size.height < 24 }

    /// Whether panes sit side by side (at 120 columns and wider).
    public var isWide: Bool { size.width >= 120 }

    /// The user the users table's cursor is on.
    public var highlightedUser: Int? {
        visibleUsers.indices.contains(usersList.cursor) ? visibleUsers[usersList.cursor] : nil
    }

    /// The user the user screen shows.
    public var openUser: Int? {
        if case .user(let index) = screen { return index }
        return nil
    }

    /// Panes that can take focus on the current screen, in Tab order.
    public var focusablePanes: [PaneID] {
        switch screen {
        case .users: [.users]
        case .user: [.profile, .questions, .retrieved]
        }
    }

    /// Allocates a task id.
    mutating func newTask(_ label: String) -> Int {
        let id = nextTask
        nextTask += 1
        running[id] = label
        return id
    }

    /// Recomputes `visibleUsers` from the filter and sort order.
    mutating func refreshVisibleUsers() {
        guard let data else { visibleUsers = []; return }
        let needle = filter.lowercased()
        var indices = Array(data.users.indices)
        if !needle.isEmpty { indices = indices.filter { searchText[$0].contains(needle) } }
        let users = data.users
        switch sort {
        case .id:
            indices.sort { users[$0].id.compare(users[$1].id, options: .numeric) == .orderedAscending }
        case .profile:
            indices.sort { (users[$0].profile.count, $0) < (users[$1].profile.count, $1) }
        case .questions:
            indices.sort { (users[$0].questions.count, $0) < (users[$1].questions.count, $1) }
        }
        if sortDescending { indices.reverse() }
        visibleUsers = indices
        usersList.move(by: 0, count: indices.count)
    }

    /// Builds the filter index after a session loads.
    mutating func indexUsers() {
        searchText = (data?.users ?? []).map { user in
            var text = user.id.lowercased()
            for question in user.questions { text += "\n" + question.input.lowercased() }
            for item in user.profile {
                for value in item.fields.values { text += "\n" + value.lowercased() }
            }
            return text
        }
    }
}
