import WorkbenchAPI

/// Columns the head table sorts by.
public enum HeadSort: String, CaseIterable, Hashable, Sendable {
    case id, role, examples, loss, norm, outNorm, mean, global, delta
}

/// The head inspector: every user's heads of one scorer in a table, their map, what the
/// selected user's adapter head learned (against the latent preference when the data has one),
/// and what their heads move most, with links into the question screen.
public struct HeadsScreen: Screen {
    public enum Status: Sendable {
        case pending(JobID)
        case failed(String)
        case done(HeadsReport)
    }

    public enum Pane: CaseIterable, Sendable { case table, moves }

    static let scope = ActionScope.heads
    var route: Route { .heads }

    public internal(set) var status: Status
    public internal(set) var scorer: HeadScorer = .adapter
    public internal(set) var focus: Pane = .table
    public internal(set) var list = ListState()
    public internal(set) var movesList = ListState()
    public internal(set) var sort: HeadSort = .global
    public internal(set) var descending = true
    public internal(set) var filter = ""
    public internal(set) var filterEditing = false
    /// Rows of the report after filtering and sorting.
    public internal(set) var visible: [HeadRow] = []
    /// The user to select when the report arrives (the user whose screen opened this one).
    private var wanted: String?

    /// Opens the inspector and asks for the report.
    static func open(_ app: inout AppModel) -> (HeadsScreen, [Command]) {
        let wanted = app.currentUserID
        let (id, command) = app.jobs.start(.heads, label: "measuring heads", owner: .heads)
        var screen = HeadsScreen(status: .pending(id))
        screen.wanted = wanted
        return (screen, [command])
    }

    init(status: Status) { self.status = status }

    func title(_ app: AppModel) -> String { "heads" }

    public var report: HeadsReport? {
        if case .done(let report) = status { return report }
        return nil
    }

    /// The user of the selected row.
    public var selectedUserID: String? { visible.indices.contains(list.cursor) ? visible[list.cursor].userID : nil }

    /// The selected user's moved items and candidates, items first.
    var moves: [HeadMove] {
        guard let id = selectedUserID, let moves = report?.moves[id] else { return [] }
        return moves.items + moves.candidates
    }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        let layout = HeadsLayout(app.body, wide: app.isWide)
        switch action {
        case .filter:
            filterEditing = true
            return []
        case .back where !filter.isEmpty:
            filter = ""
            rebuild()
            return []
        case .cycleSort:
            sort = HeadSort.allCases[((HeadSort.allCases.firstIndex(of: sort) ?? 0) + 1) % HeadSort.allCases.count]
            rebuild()
            app.setInfo("sorted by \(sort.rawValue)")
            return []
        case .reverseSort:
            descending.toggle()
            rebuild()
            return []
        case .cycleScorer:
            scorer = scorer == .reranker ? .adapter : .reranker
            rebuild()
            app.setInfo("\(scorer.rawValue) heads")
            return []
        case .focusNext, .focusPrevious:
            focus = focus == .table ? .moves : .table
            return []
        case .open:
            if focus == .moves, moves.indices.contains(movesList.cursor) {
                app.navigate(to: .question(moves[movesList.cursor].questionID))
            } else if let id = selectedUserID {
                app.navigate(to: .user(id))
            }
            return []
        default:
            break
        }
        if focus == .moves {
            _ = movesList.apply(action, count: moves.count, height: layout.movesHeight)
        } else if list.apply(action, count: visible.count, height: layout.tableHeight) {
            movesList = ListState()
        }
        return []
    }

    mutating func editFilter(_ key: Key) {
        switch key {
        case .char(let c): filter.append(c)
        case .backspace: if !filter.isEmpty { filter.removeLast() }
        case .ctrl("u"): filter = ""
        case .enter: filterEditing = false
        case .escape, .ctrl("c"):
            filter = ""
            filterEditing = false
        default: return
        }
        list = ListState()
        rebuild()
    }

    mutating func receive(_ batch: JobBatch, from id: JobID, _ app: inout AppModel) -> [Command] {
        guard case .pending(let job) = status, job == id else { return [] }
        switch batch.end {
        case .result(.heads(let report)):
            status = .done(report)
            rebuild()
            if let wanted, let row = visible.firstIndex(where: { $0.userID == wanted }) { list.cursor = row }
            if let mean = report.meanRecovery {
                app.setInfo("heads recover their users' latent preference: mean \(fixed(mean, 2)) over \(report.recoveryUsers) users")
            }
        case .failed(let message):
            status = .failed(message)
            app.setError("head inspector: \(message)")
        case .cancelled:
            status = .failed("cancelled")
        case .result, nil:
            break
        }
        return []
    }

    mutating func layout(body: Rect) {
        let layout = HeadsLayout(body, wide: body.width >= 120)
        list.keepVisible(height: layout.tableHeight, count: visible.count)
        movesList.keepVisible(height: layout.movesHeight, count: moves.count)
    }

    /// Filters and sorts the report's rows for the scorer shown; the selection follows its user.
    mutating func rebuild() {
        let selected = selectedUserID ?? wanted
        let needle = filter.lowercased()
        let scorer = self.scorer
        var rows = (report?.rows ?? []).filter { row in
            row.stats(scorer) != nil && (needle.isEmpty || row.userID.lowercased().contains(needle))
        }
        func key(_ row: HeadRow) -> Double {
            let stats = row.stats(scorer)
            switch sort {
            case .id, .role: return 0
            case .examples: return Double(stats?.fitExamples ?? -1)
            case .loss: return stats?.finalLoss ?? -.infinity
            case .norm: return stats?.denseNorm ?? 0
            case .outNorm: return stats?.outputNorm ?? 0
            case .mean: return stats?.distanceToMean ?? 0
            case .global: return stats?.distanceToGlobal ?? 0
            case .delta: return row.delta ?? -.infinity
            }
        }
        rows.sort { a, b in
            let ordered: Bool
            switch sort {
            case .id: ordered = a.userID < b.userID
            case .role: ordered = (a.role.rawValue, a.userID) < (b.role.rawValue, b.userID)
            default: ordered = key(a) == key(b) ? a.userID < b.userID : key(a) < key(b)
            }
            return descending ? !ordered && a.userID != b.userID : ordered
        }
        visible = rows
        if let selected, let row = rows.firstIndex(where: { $0.userID == selected }) { list.cursor = row }
        list.cursor = min(list.cursor, max(0, rows.count - 1))
    }
}
