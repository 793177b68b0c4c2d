import Foundation

/// Errors of the session store; each names the file, table or key involved.
public enum SessionStoreError: Error, Equatable, CustomStringConvertible {
    /// The session directory or database could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// A weights file referenced from the database is missing or unreadable.
    case missingWeights(name: String, file: String)
    /// A stored row could not be decoded.
    case corruptRow(table: String, key: String, reason: String)
    /// The database was written by a newer schema than this build knows.
    case newerSchema(path: String, found: Int, supported: Int)
    /// No kept run has this id (or several start with it).
    case unknownRun(id: String, known: [String], ambiguous: Bool)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open the session store: \(reason)"
        case let .missingWeights(name, file): return "weights '\(name)': file \(file) is missing or unreadable"
        case let .corruptRow(table, key, reason): return "session store table \(table), key \(key): \(reason)"
        case let .newerSchema(path, found, supported):
            return "\(path): schema version \(found) is newer than this build supports (\(supported))"
        case let .unknownRun(id, known, ambiguous):
            let shown = String(id.prefix(40)) + (id.count > 40 ? "…" : "")
            let runs = known.isEmpty ? "none yet" : known.joined(separator: ", ")
            return "\(ambiguous ? "several runs start with" : "no run") \"\(shown)\" in this session (runs: \(runs))"
        }
    }
}
