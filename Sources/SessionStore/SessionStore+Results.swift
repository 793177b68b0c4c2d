import Foundation
import GRDB

/// One user's metrics under one method.
public struct UserResult: Sendable, Equatable, Codable {
    /// The method name (`hydra`, `hydra-base`, …).
    public var method: String
    /// The user id.
    public var user: String
    /// Metric name → value.
    public var metrics: [String: Double]

    public init(method: String, user: String, metrics: [String: Double]) {
        self.method = method
        self.user = user
        self.metrics = metrics
    }
}

/// Loss histories and results.
extension SessionStore {
    /// Appends losses of `phase` starting at step `firstStep` (one transaction; replaces steps
    /// already stored, so a resumed run overwrites cleanly).
    public func appendLosses(phase: String, firstStep: Int, losses: [Float]) throws {
        guard !losses.isEmpty else { return }
        try database.write { db in
            let statement = try db.makeStatement(sql: "INSERT OR REPLACE INTO losses (phase, step, loss) VALUES (?, ?, ?)")
            for (i, loss) in losses.enumerated() {
                try statement.execute(arguments: [phase, firstStep + i, Double(loss)])
            }
        }
    }

    /// Replaces the whole loss history of `phase`.
    public func replaceLosses(phase: String, losses: [Float]) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM losses WHERE phase = ?", arguments: [phase])
            let statement = try db.makeStatement(sql: "INSERT INTO losses (phase, step, loss) VALUES (?, ?, ?)")
            for (i, loss) in losses.enumerated() { try statement.execute(arguments: [phase, i, Double(loss)]) }
        }
    }

    /// The losses of `phase`, by step.
    public func losses(phase: String) throws -> [Float] {
        try database.read { db in
            try Double.fetchAll(db, sql: "SELECT loss FROM losses WHERE phase = ? ORDER BY step", arguments: [phase]).map { Float($0) }
        }
    }

    /// The phases with a loss history (e.g. `reranker/joint`, `adapter/fit/u0003`).
    public func lossPhases() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT phase FROM losses ORDER BY phase") }
    }

    /// Replaces all results: each method's metrics and the per-user metrics, in one transaction.
    public func saveResults(methods: [String: [String: Double]], users: [UserResult]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try database.write { db in
            try db.execute(sql: "DELETE FROM method_results")
            try db.execute(sql: "DELETE FROM user_results")
            for (method, metrics) in methods {
                let json = String(decoding: try encoder.encode(metrics), as: UTF8.self)
                try db.execute(sql: "INSERT INTO method_results (method, metrics) VALUES (?, ?)", arguments: [method, json])
            }
            for result in users {
                let json = String(decoding: try encoder.encode(result.metrics), as: UTF8.self)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO user_results (method, user, metrics) VALUES (?, ?, ?)",
                    arguments: [result.method, result.user, json])
            }
        }
    }

    /// Each method's metrics.
    public func methodResults() throws -> [String: [String: Double]] {
        let rows = try database.read { db in try Row.fetchAll(db, sql: "SELECT method, metrics FROM method_results") }
        var out: [String: [String: Double]] = [:]
        for row in rows {
            let method: String = row["method"]
            out[method] = try Self.decodeMetrics(row["metrics"], table: "method_results", key: method)
        }
        return out
    }

    /// Every per-user result, ordered by method then user.
    public func userResults() throws -> [UserResult] {
        let rows = try database.read { db in
            try Row.fetchAll(db, sql: "SELECT method, user, metrics FROM user_results ORDER BY method, user")
        }
        return try rows.map { row in
            let method: String = row["method"], user: String = row["user"]
            return UserResult(
                method: method, user: user,
                metrics: try Self.decodeMetrics(row["metrics"], table: "user_results", key: "\(method)/\(user)"))
        }
    }

    private static func decodeMetrics(_ json: String, table: String, key: String) throws -> [String: Double] {
        do {
            return try JSONDecoder().decode([String: Double].self, from: Data(json.utf8))
        } catch {
            throw SessionStoreError.corruptRow(table: table, key: key, reason: "metrics are not a JSON object of numbers")
        }
    }
}
