import Foundation
import HydraEngine
import LaMP
import Training
import WorkbenchAPI
import Workspace

/// The engine behind the workbench: loads a session's data and what its store holds, retrieves
/// over a user's history, and runs the HYDRA pipeline, all through `RunSetup`, so a session runs
/// here exactly as `hydra run` runs it.
public final class EngineWorkbenchBackend: WorkbenchBackend {
    private let source: RunSource
    private let overrides: RunOverrides
    private let environment: RunEnvironment
    private let state = BackendState()

    /// - Parameters:
    ///   - source: the session (or bare data directory) to work on.
    ///   - overrides: settings given on the command line, which win over the session's.
    ///   - environment: where stores live and how the LLM and encoder are made.
    public init(source: RunSource, overrides: RunOverrides = RunOverrides(), environment: RunEnvironment = .standard) {
        self.source = source
        self.overrides = overrides
        self.environment = environment
    }

    public func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        switch job {
        case .loadSession:
            emit(.result(.session(try await loadSession(emit: emit))))
        case let .retrieve(userID, questionID, k):
            emit(.result(.retrieved(try await retrieve(userID: userID, questionID: questionID, k: k))))
        case .runPipeline:
            do {
                try await runPipeline(emit: emit)
            } catch TrainingError.cancelled {
                // the protocol promises one cancellation error, whichever step noticed it
                throw CancellationError()
            }
        case .inspect, .counterfactual:
            throw RunSetupError("question inspection is not available in this build yet")
        }
    }

    private var storeDirectory: URL { source.storeDirectory(cacheRoot: environment.cacheRoot) }

    /// Reads the data (no LLM is loaded, no LLM call made) and whatever the store already holds.
    private func loadSession(emit: @escaping @Sendable (JobEvent) -> Void) async throws -> SessionSnapshot {
        emit(.progress(0, "resolving \(source.name)"))
        let contents = try await contents(emit: emit, reload: true)
        try Task.checkCancellation()
        var users = contents.users
        var savedRun: RunReport?
        var savedLosses: [LossSeries] = []
        if let saved = try SavedRunReader.open(storeDirectory) {
            emit(.progress(1, "reading the session store"))
            savedRun = try saved.report(contents: contents)
            users = contents.users(heads: try saved.models())
            savedLosses = try saved.losses()
        }
        let retriever: String
        if source.session?.retrieval.retriever == "dense" {
            let kind = RunSetup.resolveEncoder(session: source.session, overrides: overrides)
            emit(.progress(1, "loading the \(kind.rawValue) encoder"))
            await state.setRetriever(SessionRetriever(task: contents.task, encoder: try environment.makeEncoder(kind)))
            retriever = "dense: \(kind.rawValue)"
        } else {
            await state.setRetriever(SessionRetriever(task: contents.task, encoder: nil))
            retriever = "BM25"
        }
        emit(.progress(1, "loaded"))
        return SessionSnapshot(
            title: source.name, task: contents.taskInfo, retriever: retriever, users: users, savedRun: savedRun,
            savedLosses: savedLosses)
    }

    /// The session's data, loaded on first use (or again when `reload`).
    private func contents(emit: (@Sendable (JobEvent) -> Void)?, reload: Bool = false) async throws -> SessionContents {
        if !reload, let contents = await state.contents { return contents }
        let data = try LoadedData.load(
            source, task: overrides.task, demoRoot: environment.demoRoot,
            progress: { read, total in emit?(.progress(total > 0 ? Double(read) / Double(total) : 0, "loading data")) },
            log: { line in emit?(.note(line)) })
        let contents = SessionContents(data: data)
        await state.setContents(contents)
        return contents
    }

    private func retrieve(userID: String, questionID: String, k: Int) async throws -> [RetrievedHit] {
        let contents = try await contents(emit: nil)
        guard let key = contents.user(userID, asking: questionID),
            let question = contents.users[key].questions.first(where: { $0.id == questionID })
        else {
            throw HydraEngineError.invalidSetting(name: "question", value: "\(questionID) of user \(userID)")
        }
        let retriever = await state.retriever ?? SessionRetriever(task: contents.task, encoder: nil)
        await state.setRetriever(retriever)
        return try await retriever.retrieve(input: question.input, user: contents.users[key], key: key, k: k)
    }

    private func runPipeline(emit: @escaping @Sendable (JobEvent) -> Void) async throws {
        let contents = try await contents(emit: emit)
        try Task.checkCancellation()
        let setup = try RunSetup.make(
            source: source, data: contents.data, overrides: overrides, environment: environment,
            log: { line in emit(.note(line)) })
        let events = RunEventTranslator(meter: setup.meter, emit: emit)
        let results: HydraResults
        do {
            results = try await setup.run { events.handle($0) }
        } catch {
            events.flushLosses()
            throw error
        }
        events.flushLosses()
        let report = try RunReportBuilder.report(results, golds: contents.evalGolds, task: contents.task)
        let models = try HydraPipeline.savedModels(in: setup.store)
        emit(.result(.run(report, users: contents.users(heads: models))))
    }
}

/// What the backend keeps between jobs.
private actor BackendState {
    private(set) var contents: SessionContents?
    private(set) var retriever: SessionRetriever?

    func setContents(_ contents: SessionContents) { self.contents = contents }
    func setRetriever(_ retriever: SessionRetriever) { self.retriever = retriever }
}
