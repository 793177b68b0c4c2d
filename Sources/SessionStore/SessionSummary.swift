import Foundation
import GRDB

/// What `hydra session list|show` prints about one session.
public struct SessionSummary: Sendable, Equatable, Codable {
    /// The session directory's name.
    public var name: String
    /// The session directory.
    public var path: String
    /// Schema version of the database.
    public var schemaVersion: Int
    /// The dataset fingerprint, if recorded.
    public var datasetFingerprint: String?
    /// Cached LLM calls.
    public var cachedGenerations: Int
    /// Stored embeddings.
    public var embeddings: Int
    /// Saved weights files.
    public var weights: [WeightsRecord]
    /// Phases with a loss history.
    public var lossPhases: [String]
    /// Each method's metrics (the latest run).
    public var methods: [String: [String: Double]]
    /// Every kept run, newest first, without their full results.
    public var runs: [RunSummary]
}

/// A kept run as `hydra session show` lists it.
public struct RunSummary: Sendable, Equatable, Codable {
    public var id: String
    public var finishedAt: Date
    /// The settings that produced it (JSON).
    public var settings: String
    /// Slot → weights name.
    public var weights: [String: String]
    /// Method → metrics.
    public var headline: [String: [String: Double]]

    public init(_ run: StoredRun) {
        id = run.id
        finishedAt = run.finishedAt
        settings = run.settings
        weights = run.weights
        headline = run.headline
    }
}

extension SessionStore {
    /// A summary of the store's contents.
    public func summary() throws -> SessionSummary {
        let generations = try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM generation_cache") ?? 0
        }
        return SessionSummary(
            name: directory.lastPathComponent, path: directory.path, schemaVersion: try schemaVersion(),
            datasetFingerprint: try datasetFingerprint(), cachedGenerations: generations,
            embeddings: try embeddingCount(), weights: try weightsRecords(), lossPhases: try lossPhases(),
            methods: try methodResults(), runs: try runs().map(RunSummary.init))
    }

    /// Everything but the caches and weights as one JSON document: config, fingerprint, losses,
    /// method and per-user results.
    public func exportJSON() throws -> Data {
        struct Export: Encodable {
            var summary: SessionSummary
            var config: String?
            var losses: [String: [Float]]
            var users: [UserResult]
        }
        var losses: [String: [Float]] = [:]
        for phase in try lossPhases() { losses[phase] = try self.losses(phase: phase) }
        let export = Export(summary: try summary(), config: try config(), losses: losses, users: try userResults())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(export)
    }

    /// The session directories (those holding a database) directly under `root`, by name.
    public static func sessions(under root: URL) -> [URL] {
        let children = (try? FileManager.default.contentsOfDirectory(
            at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])) ?? []
        return children.filter { exists(at: $0) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
