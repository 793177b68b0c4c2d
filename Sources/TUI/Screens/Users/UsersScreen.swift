import Foundation
import WorkbenchAPI

/// The columns the users table sorts by.
public enum UserSort: String, CaseIterable, Hashable, Sendable {
    case id, role, profile, questions, heads, delta
}

/// Which users the Δ filter keeps.
public enum DeltaFilter: String, CaseIterable, Hashable, Sendable {
    /// Every user.
    case all
    /// Users whose personal heads did better than the shared base + global heads.
    case helped
    /// Users whose personal heads did worse.
    case hurt
}

/// The workbench's home: every user with role, history size, heads and Δ personal − base.
public struct UsersScreen: Screen {
    static let scope = ActionScope.users
    var route: Route { .users }

    public internal(set) var list = ListState()
    public internal(set) var sort: UserSort = .id
    public internal(set) var descending = false
    /// The `/` filter text (ids and text, case-insensitively).
    public internal(set) var filter = ""
    public internal(set) var filterEditing = false
    public internal(set) var deltaFilter: DeltaFilter = .all
    /// Indices into the session's users after filtering and sorting.
    public internal(set) var visible: [Int] = []
    /// Lower-cased id and text of every user, for `/` filtering.
    private var searchText: [String] = []
    private var indexedVersion = -1

    init() {}

    init(_ app: AppModel) { refresh(app) }

    func title(_ app: AppModel) -> String { "users" }

    /// The user under the cursor.
    func highlighted(_ app: AppModel) -> UserEntry? {
        guard let users = app.snapshot?.users, visible.indices.contains(list.cursor) else { return nil }
        return users[visible[list.cursor]]
    }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        let height = UsersLayout(app.body, wide: app.isWide).tableHeight
        if list.apply(action, count: visible.count, height: height) { return [] }
        switch action {
        case .open:
            if let user = highlighted(app) { app.navigate(to: .user(user.id)) }
        case .filter:
            filterEditing = true
        case .back:
            if !filter.isEmpty || deltaFilter != .all {
                filter = ""
                deltaFilter = .all
                rebuild(app)
            }
        case .cycleSort:
            let all = UserSort.allCases
            sort = all[((all.firstIndex(of: sort) ?? 0) + 1) % all.count]
            rebuild(app)
            app.setInfo("sorted by \(sort.rawValue)")
        case .reverseSort:
            descending.toggle()
            rebuild(app)
        case .cycleDeltaFilter:
            let all = DeltaFilter.allCases
            deltaFilter = all[((all.firstIndex(of: deltaFilter) ?? 0) + 1) % all.count]
            list = ListState()
            rebuild(app)
            app.setInfo(deltaMessage(app))
        default:
            break
        }
        return []
    }

    func deltaMessage(_ app: AppModel) -> String {
        switch deltaFilter {
        case .all: return "all users"
        case .helped, .hurt:
            let note = app.run.report == nil ? " (no run yet: r runs HYDRA)" : ""
            return "\(visible.count) users where personalization \(deltaFilter.rawValue)" + note
        }
    }

    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command] {
        let layout = UsersLayout(body, wide: app.isWide)
        switch event.kind {
        case .wheelUp: _ = list.apply(.moveUp, count: visible.count, height: layout.tableHeight)
        case .wheelDown: _ = list.apply(.moveDown, count: visible.count, height: layout.tableHeight)
        case .click:
            if let row = TableView.row(at: event.position, in: layout.table.inset(1), state: list, count: visible.count) {
                if row == list.cursor, let user = highlighted(app) { app.navigate(to: .user(user.id)) }
                list.cursor = row
            }
        }
        return []
    }

    mutating func layout(body: Rect) {
        list.keepVisible(height: UsersLayout(body, wide: body.width >= 120).tableHeight, count: visible.count)
    }

    /// Keys typed into the `/` filter.
    mutating func editFilter(_ key: Key, _ app: AppModel) {
        guard TUI.editFilter(&filter, editing: &filterEditing, key: key) else { return }
        list = ListState()
        rebuild(app)
    }

    mutating func setFilter(_ text: String, _ app: AppModel) {
        filter = text
        filterEditing = false
        list = ListState()
        rebuild(app)
    }

    mutating func sortCommand(_ argument: String, _ app: inout AppModel) {
        let parts = argument.split(separator: " ")
        guard let key = parts.first.flatMap({ UserSort(rawValue: String($0)) }) else {
            app.setError("sort by: \(UserSort.allCases.map(\.rawValue).joined(separator: ", ")) [desc]")
            return
        }
        sort = key
        descending = parts.count > 1 && parts[1] == "desc"
        rebuild(app)
        app.setInfo("sorted by \(key.rawValue)")
    }

    mutating func deltaCommand(_ argument: String, _ app: inout AppModel) {
        guard let value = DeltaFilter(rawValue: argument) else {
            app.setError(":delta takes all, helped or hurt")
            return
        }
        deltaFilter = value
        list = ListState()
        rebuild(app)
        app.setInfo(deltaMessage(app))
    }

    mutating func refresh(_ app: AppModel) {
        if indexedVersion != app.dataVersion {
            searchText = (app.snapshot?.users ?? []).map { user in
                var text = user.id.lowercased()
                for question in user.questions { text += "\n" + question.input.lowercased() }
                for item in user.profile { for value in item.fields.values { text += "\n" + value.lowercased() } }
                return text
            }
            indexedVersion = app.dataVersion
        }
        rebuild(app)
    }

    /// Recomputes `visible` from the filters and the sort order.
    mutating func rebuild(_ app: AppModel) {
        guard let users = app.snapshot?.users else {
            visible = []
            return
        }
        let deltas = app.run.report?.userDeltas ?? [:]
        let needle = filter.lowercased()
        var indices = Array(users.indices)
        if !needle.isEmpty { indices = indices.filter { searchText.indices.contains($0) && searchText[$0].contains(needle) } }
        switch deltaFilter {
        case .all: break
        case .helped: indices = indices.filter { (deltas[users[$0].id] ?? 0) > 0 }
        case .hurt: indices = indices.filter { (deltas[users[$0].id] ?? 0) < 0 }
        }
        func key(_ i: Int) -> (Double, String) {
            let u = users[i]
            switch sort {
            case .id: return (0, "")
            case .role: return (u.role == .train ? 0 : 1, "")
            case .profile: return (Double(u.profile.count), "")
            case .questions: return (Double(u.questions.count), "")
            case .heads: return (u.hasHeads ? 1 : 0, "")
            case .delta: return (deltas[u.id] ?? -.infinity, "")
            }
        }
        indices.sort { a, b in
            let (ka, kb) = (key(a).0, key(b).0)
            if ka != kb { return ka < kb }
            return users[a].id.compare(users[b].id, options: .numeric) == .orderedAscending
        }
        if descending { indices.reverse() }
        visible = indices
        list.move(by: 0, count: indices.count)
    }
}
