import Foundation
import GenerationCache
import HydraEngine
import LaMP
import SessionStore

extension RunSetup {
    /// The setup of a session that has been run, for looking into its questions: the store must
    /// exist (none is created) and nothing is written to it but LLM calls the cache lacked. The
    /// configuration is the one of the run read (`overrides.run`, else the newest kept run, else
    /// the last one saved), so prompts (and with them the cache's keys) are that run's whatever
    /// flags it was given; a store without one resolves it as `make` does.
    ///
    /// The LLM is made here even when every call will hit the cache: the prompt budget needs its
    /// tokenizer, and the cache's keys its model id.
    /// - Throws: `RunSetupError` saying to run the session first when it has no store.
    public static func open(source: RunSource, data: LoadedData, overrides: RunOverrides, environment: RunEnvironment) throws -> RunSetup {
        let directory = source.storeDirectory(cacheRoot: environment.cacheRoot)
        guard SessionStore.exists(at: directory) else { throw notRunYet(source) }
        let store = try SessionStore(directory: directory)
        let config: HydraConfig
        if let run = try store.run(id: overrides.run), let settings = RunSettings.decode(storedJSON: run.settings),
            settings.config.task == data.dataset.task
        {
            config = settings.config
        } else if let json = try store.config(), let saved = try? JSONDecoder().decode(HydraConfig.self, from: Data(json.utf8)),
            saved.task == data.dataset.task
        {
            config = saved
        } else {
            config = try resolveConfig(task: data.dataset.task, session: source.session, overrides: overrides)
        }
        let encoder = try environment.makeEncoder(resolveEncoder(session: source.session, overrides: overrides))
        let (base, tokenCounter) = try environment.makeLLM(try resolveLLM(session: source.session, overrides: overrides))
        let meter = TokenMeter(wrapping: base, counter: tokenCounter)
        let client = try CachedLLMClient(wrapping: meter, database: store.database)
        return RunSetup(
            source: source, data: data, config: config, store: store, client: client, meter: meter,
            tokenCounter: tokenCounter, encoder: encoder)
    }

    /// The error for looking into a session that has no run yet, with how to run it.
    public static func notRunYet(_ source: RunSource) -> RunSetupError {
        let command: String
        switch source {
        case .session(let session, let file): command = "hydra run --session \(file?.path ?? session.name)"
        case .data(let directory): command = "hydra run --data \(directory.path)"
        }
        return RunSetupError("session \"\(source.name)\" has not been run yet: run it first (`r` in the workbench, or `\(command)`)")
    }
}
