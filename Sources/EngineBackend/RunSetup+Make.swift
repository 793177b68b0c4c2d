import Foundation
import GenerationCache
import HydraEngine
import SessionStore

extension RunSetup {
    /// Opens the session store, makes the encoder and the LLM, and records the configuration and
    /// the dataset's fingerprint in the store.
    /// - Parameter log: notes for the user (the data changed since the last run).
    public static func make(
        source: RunSource, data: LoadedData, overrides: RunOverrides, environment: RunEnvironment,
        log: (String) -> Void = { _ in }
    ) throws -> RunSetup {
        let config = try resolveConfig(task: data.dataset.task, session: source.session, overrides: overrides)
        let llm = try resolveLLM(session: source.session, overrides: overrides)
        let store = try SessionStore(directory: source.storeDirectory(cacheRoot: environment.cacheRoot))
        let encoder = try environment.makeEncoder(resolveEncoder(session: source.session, overrides: overrides))
        let (base, tokenCounter) = try environment.makeLLM(llm)
        let meter = TokenMeter(wrapping: base, counter: tokenCounter)
        let client = try CachedLLMClient(wrapping: meter, database: store.database)

        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        try store.saveConfig(String(decoding: try json.encode(config), as: UTF8.self))
        let fingerprint = data.fingerprint
        if let old = try store.datasetFingerprint(), old != fingerprint {
            log("the dataset changed since this session's last run; affected work is redone")
        }
        try store.saveDatasetFingerprint(fingerprint)
        return RunSetup(
            source: source, data: data, config: config, store: store, client: client, meter: meter,
            tokenCounter: tokenCounter, encoder: encoder)
    }

    /// Runs the pipeline and keeps its full results in the store (`SavedResults`) under the key
    /// of its settings, so the workbench shows a run made by `hydra run` and the other way
    /// round, and a run with other settings does not replace an earlier one.
    public func run(events: EngineEventHandler? = nil) async throws -> HydraResults {
        try store.clearWeightsInUse()
        let results = try await makePipeline().run(events: events)
        try SavedResults.save(results, settings: settings, in: store)
        return results
    }

    /// The settings this run's results depend on.
    public var settings: RunSettings {
        RunSettings(config: config, encoder: encoder.id, llm: client.backendID + ":" + client.modelID)
    }
}
