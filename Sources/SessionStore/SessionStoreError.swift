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

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open the session store: \(reason)"
        case let .missingWeights(name, file): return "weights '\(name)': file \(file) is missing or unreadable"
        case let .corruptRow(table, key, reason): return "session store table \(table), key \(key): \(reason)"
        case let .newerSchema(path, found, supported):
            return "\(path): schema version \(found) is newer than this build supports (\(supported))"
        }
    }
}
