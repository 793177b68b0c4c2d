import Foundation
import HydraEngine
import SessionStore

/// A run's full results kept in its session store, so opening the session later shows them
/// without running anything. `HydraResults` rather than the workbench's report, because the
/// report's paired tests need every prediction.
///
/// Each run is kept under the key of its settings (`RunSettings`): a re-run with other
/// settings is kept beside the earlier one, a re-run with the same settings replaces it.
public enum SavedResults {
    /// The meta key a store written before runs were kept holds its one result under.
    static let legacyKey = "hydra_results"

    /// Keeps `results` as the run of `settings`, with the weights the run used.
    /// - Returns: the run as stored.
    @discardableResult
    public static func save(_ results: HydraResults, settings: RunSettings, in store: SessionStore, finishedAt: Date = Date())
        throws -> StoredRun
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settingsJSON = try settings.json()
        let run = StoredRun(
            id: StoredRun.key(settings: settingsJSON), settings: settingsJSON,
            results: String(decoding: try encoder.encode(results), as: UTF8.self),
            weights: try store.weightsInUse(), headline: results.methods, finishedAt: finishedAt)
        try store.saveRun(run)
        return run
    }

    /// The results of run `id` (a unique prefix will do), or of the latest run when `id` is nil;
    /// nil when the store has none (or they are from an older format, which a re-run replaces).
    /// - Throws: `SessionStoreError.unknownRun` for an id no run has.
    public static func load(from store: SessionStore, run id: String? = nil) throws -> HydraResults? {
        let json: String?
        if let run = try store.run(id: id) {
            json = run.results
        } else {
            json = try store.value(forKey: legacyKey)
        }
        guard let json else { return nil }
        return try? JSONDecoder().decode(HydraResults.self, from: Data(json.utf8))
    }
}

/// What a run's results depend on: the engine configuration (but its runtime settings, which
/// change speed, not results), the encoder and the LLM. Its JSON keys the run in the store.
public struct RunSettings: Codable, Sendable, Equatable {
    public var config: HydraConfig
    public var encoder: String
    public var llm: String

    public init(config: HydraConfig, encoder: String, llm: String) {
        var config = config
        config.runtime = HydraConfig.RuntimeConfig()
        self.config = config
        self.encoder = encoder
        self.llm = llm
    }

    /// The settings as JSON with sorted keys (the text the run's key is computed from).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
