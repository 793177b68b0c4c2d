import Foundation
import HydraEngine
import SessionStore

/// A run's full results kept in its session store, so opening the session later shows them
/// without running anything. `HydraResults` rather than the workbench's report, because the
/// report's paired tests need every prediction.
public enum SavedResults {
    /// The store's meta key.
    static let key = "hydra_results"

    public static func save(_ results: HydraResults, in store: SessionStore) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try store.setValue(String(decoding: try encoder.encode(results), as: UTF8.self), forKey: key)
    }

    /// The last saved results, or nil when the store has none (or they are from an older format,
    /// which a re-run replaces).
    public static func load(from store: SessionStore) throws -> HydraResults? {
        guard let json = try store.value(forKey: key) else { return nil }
        return try? JSONDecoder().decode(HydraResults.self, from: Data(json.utf8))
    }
}
