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
        self.environment = environment.reusingLLMs()
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
        case let .inspect(questionID):
            emit(.result(.question(try await inspect(questionID: questionID, emit: emit))))
        case let .counterfactual(questionID, itemID, kind):
            emit(.result(.counterfactual(try await counterfactual(questionID: questionID, itemID: itemID, kind: kind, emit: emit))))
        case .heads:
            emit(.result(.heads(try await heads(emit: emit))))
        case let .refitPlan(userID, edit):
            emit(.result(.refitPlan(try await whatIf(emit: emit).plan(userID: userID, edit: edit))))
        case let .refit(userID, edit):
            let (report, models) = try await whatIf(emit: emit).refit(userID: userID, edit: edit, emit: emit)
            await state.keepRefit(models, of: userID)
            emit(.result(.refit(report)))
        case .keepRefit(let userID):
            try await keepRefit(userID: userID)
            emit(.result(.keptRefit(userID: userID)))
        case let .coldStart(userIDs, sizes, seeds):
            emit(.result(.coldStart(try await whatIf(emit: emit).coldStart(userIDs: userIDs, sizes: sizes, seeds: seeds, emit: emit))))
        case let .exportReport(userID, directory, coldStart):
            emit(.result(.reportWritten(try await exportReport(userID: userID, directory: directory, coldStart: coldStart, emit: emit))))
        }
    }

    /// The question report of `.inspect` (what `hydra inspect` prints).
    /// - Throws: `RunSetupError` saying to run the session first when it has no trained models;
    ///   `HydraEngineError.invalidSetting(name: "question", …)` naming an unknown id.
    public func inspect(questionID: String, emit: @escaping @Sendable (JobEvent) -> Void = { _ in }) async throws -> QuestionReport {
        let inspector = try await inspector(emit: emit)
        emit(.progress(0.5, "inspecting question \(questionID)"))
        return try await namingWhatIsMissing { try await inspector.report(questionID: questionID) }
    }

    /// The counterfactual report of `.counterfactual`.
    /// - Throws: as `inspect`, and `HydraEngineError.invalidSetting(name: "item", …)` for an item
    ///   that is not among the question's retrieved items.
    public func counterfactual(
        questionID: String, itemID: String, kind: CounterfactualKind, emit: @escaping @Sendable (JobEvent) -> Void = { _ in }
    ) async throws -> CounterfactualReport {
        let inspector = try await inspector(emit: emit)
        emit(.progress(0.5, "\(kind.rawValue) on item \(itemID) of question \(questionID)"))
        return try await namingWhatIsMissing {
            try await inspector.counterfactual(questionID: questionID, itemID: itemID, kind: kind)
        }
    }

    /// The head inspector's contents over the session's last run.
    public func heads(emit: @escaping @Sendable (JobEvent) -> Void = { _ in }) async throws -> HeadsReport {
        let inspector = try await inspector(emit: emit)
        emit(.progress(0.5, "measuring every head"))
        let contents = try await contents(emit: emit)
        let demo = LatentRecovery.demoUsers(in: contents.data.directory)
        return try HeadsReportBuilder(
            pipeline: inspector.setup.makePipeline(), store: inspector.setup.store, models: inspector.models, saved: inspector.saved,
            latent: demo.mapValues { user in { LatentRecovery.compare(user, preference: $0) } }
        ).report()
    }

    /// Re-fits and cold starts over the session's last run.
    func whatIf(emit: @escaping @Sendable (JobEvent) -> Void = { _ in }) async throws -> WhatIfRunner {
        let inspector = try await inspector(emit: emit)
        return WhatIfRunner(setup: inspector.setup, models: inspector.models, saved: inspector.saved)
    }

    /// Saves the last re-fit of `userID` over the run's fitted heads.
    private func keepRefit(userID: String) async throws {
        guard let models = await state.refits[userID] else { throw RunSetupError("no re-fit of user \(userID) to keep: re-fit first") }
        let inspector = try await inspector(emit: { _ in })
        try WhatIfRunner.keep(models, userID: userID, store: inspector.setup.store)
        await state.keepRefit(nil, of: userID)
    }

    /// The engine's "invalid setting question = X" as the user would say it.
    private func namingWhatIsMissing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch HydraEngineError.invalidSetting(name: "question", value: let value) {
            throw RunSetupError("no question \"\(ErrorText.clipped(value))\" in session \"\(source.name)\"")
        } catch HydraEngineError.invalidSetting(name: "item", value: let value) {
            throw RunSetupError("no item \(ErrorText.clipped(value))")
        }
    }

    /// An inspector over the session's last run. The setup is kept for later inspections (the
    /// LLM it holds is the one runs use); models and results are read again each time, as a run
    /// may have replaced them.
    private func inspector(emit: @escaping @Sendable (JobEvent) -> Void) async throws -> QuestionInspector {
        let contents = try await contents(emit: emit)
        try Task.checkCancellation()
        let setup: RunSetup
        if let kept = await state.inspectionSetup {
            setup = kept
        } else {
            emit(.progress(0.1, "opening the session store and the LLM"))
            setup = try RunSetup.open(source: source, data: contents.data, overrides: overrides, environment: environment)
            await state.setInspectionSetup(setup)
        }
        let models = try HydraPipeline.savedModels(in: setup.store, run: try setup.store.run(id: overrides.run))
        guard models.reranker != nil || models.adapter != nil else { throw RunSetup.notRunYet(source) }
        return QuestionInspector(setup: setup, models: models, saved: try SavedResults.load(from: setup.store, run: overrides.run))
    }

    private var storeDirectory: URL { source.storeDirectory(cacheRoot: environment.cacheRoot) }

    /// Reads the data (no LLM is loaded, no LLM call made) and whatever the store already holds.
    private func loadSession(emit: @escaping @Sendable (JobEvent) -> Void) async throws -> SessionSnapshot {
        emit(.progress(0, "resolving \(source.name)"))
        _ = try await contents(emit: emit, reload: true)
        await state.setInspectionSetup(nil)
        return try await sessionSnapshot(emit: emit)
    }

    /// The session as loaded (the data read on first use) with what its store holds.
    func sessionSnapshot(emit: @escaping @Sendable (JobEvent) -> Void) async throws -> SessionSnapshot {
        let contents = try await contents(emit: emit)
        try Task.checkCancellation()
        var users = contents.users
        var savedRun: RunReport?
        var savedLosses: [LossSeries] = []
        if let saved = try SavedRunReader.open(storeDirectory, run: overrides.run) {
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
        // the run saves its configuration, which inspections must then follow
        await state.setInspectionSetup(nil)
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
    private(set) var inspectionSetup: RunSetup?

    func setContents(_ contents: SessionContents) { self.contents = contents }
    func setRetriever(_ retriever: SessionRetriever) { self.retriever = retriever }
    func setInspectionSetup(_ setup: RunSetup?) { inspectionSetup = setup }

    /// Each user's last re-fit, until kept or replaced.
    private(set) var refits: [String: TrainedModels] = [:]
    func keepRefit(_ models: TrainedModels?, of userID: String) { refits[userID] = models }
}
