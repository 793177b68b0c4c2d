import WorkbenchAPI

/// One user's history edits with undo and redo.
public struct EditHistory: Sendable, Hashable {
    public private(set) var current = HistoryEdit()
    private var undoStack: [HistoryEdit] = []
    private var redoStack: [HistoryEdit] = []

    public init() {}

    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }

    /// Makes `edit` current; the previous one can be undone.
    mutating func apply(_ edit: HistoryEdit) {
        guard edit != current else { return }
        undoStack.append(current)
        redoStack.removeAll()
        current = edit
    }

    mutating func undo() -> Bool {
        guard let previous = undoStack.popLast() else { return false }
        redoStack.append(current)
        current = previous
        return true
    }

    mutating func redo() -> Bool {
        guard let next = redoStack.popLast() else { return false }
        undoStack.append(current)
        current = next
        return true
    }
}

/// What the one what-if job is doing.
public enum WhatIfJob: Sendable, Hashable {
    case plan(userID: String, edit: HistoryEdit)
    case refit(userID: String, edit: HistoryEdit)
    case keep(userID: String)
    case coldStart(key: String)
    case export(userID: String)

    /// The user whose history the job reads, if one.
    var userID: String? {
        switch self {
        case .plan(let id, _), .refit(let id, _), .keep(let id), .export(let id): id
        case .coldStart: nil
        }
    }

    var label: String {
        switch self {
        case .plan(let id, _): "pricing the re-fit of \(id)"
        case .refit(let id, _): "re-fitting \(id)'s heads"
        case .keep(let id): "saving \(id)'s re-fit"
        case .coldStart(let key): "cold start curve (\(key))"
        case .export(let id): "writing \(id)'s report"
        }
    }
}

/// The what-if state the whole workbench shares: every user's edits, the one what-if job, the
/// priced and finished re-fits and the cold start curves. It lives in the app, not in a screen,
/// so a re-fit keeps running while the training screen shows its loss.
public struct WhatIfState: Sendable {
    public internal(set) var edits: [String: EditHistory] = [:]
    public internal(set) var job: (id: JobID, kind: WhatIfJob)?
    /// A priced re-fit waiting for confirmation (F again), with the edit it priced.
    public internal(set) var plan: (plan: RefitPlan, edit: HistoryEdit)?
    /// Each user's last re-fit.
    public internal(set) var refits: [String: RefitReport] = [:]
    /// Re-fits so far per user, to name each one's loss series apart.
    var refitCount: [String: Int] = [:]
    /// Cold start curves by user id (or `eval users`).
    public internal(set) var coldStarts: [String: ColdStartReport] = [:]

    public init() {}

    public func edit(of userID: String) -> HistoryEdit { edits[userID]?.current ?? HistoryEdit() }

    public var isBusy: Bool { job != nil }
}

/// Parses the what-if commands' arguments.
enum WhatIfSyntax {
    /// The profile items `argument` selects: `3`, `3-10` (1-based positions) or `FIELD=VALUE`
    /// (items whose field equals the value, case-insensitive).
    static func select(_ argument: String, in profile: [ProfileEntry]) -> Result<[String], WhatIfError> {
        let text = argument.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return .failure(.syntax("needs items: N, N-M or FIELD=VALUE")) }
        if let eq = text.firstIndex(of: "=") {
            let field = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
            let value = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces).lowercased()
            let ids = profile.filter { ($0.fields[field] ?? "").lowercased() == value }.map(\.id)
            return ids.isEmpty ? .failure(.syntax("no item has \(field) = \(value)")) : .success(ids)
        }
        let bounds = text.split(separator: "-", maxSplits: 1).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let low = bounds.first ?? nil, let high = bounds.count == 2 ? bounds[1] : low, low >= 1, high >= low else {
            return .failure(.syntax("needs items: N, N-M or FIELD=VALUE"))
        }
        guard high <= profile.count else { return .failure(.syntax("the history has \(profile.count) items")) }
        return .success(profile[(low - 1)..<high].map(\.id))
    }

    /// A new item from `FIELD=TEXT FIELD=TEXT…` (a value runs until the next ` FIELD=`); every
    /// field of the task must be given.
    static func newItem(_ argument: String, fields: [String], id: String) -> Result<ProfileEntry, WhatIfError> {
        var values: [String: String] = [:]
        var current: String?
        for word in argument.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let eq = word.firstIndex(of: "="), fields.contains(String(word[..<eq])) {
                current = String(word[..<eq])
                values[current!] = String(word[word.index(after: eq)...])
            } else if let field = current {
                values[field]! += " " + word
            }
        }
        let missing = fields.filter { (values[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        guard missing.isEmpty else {
            return .failure(.syntax("a new item needs " + fields.map { "\($0)=…" }.joined(separator: " ") + " (missing: \(missing.joined(separator: ", ")))"))
        }
        return .success(ProfileEntry(id: id, fields: values.mapValues { $0.trimmingCharacters(in: .whitespaces) }))
    }
}

enum WhatIfError: Error, Equatable {
    case syntax(String)

    var message: String {
        switch self {
        case .syntax(let text): text
        }
    }
}
