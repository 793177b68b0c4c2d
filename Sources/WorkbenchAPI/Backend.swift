import Foundation

/// Work the workbench asks the engine for.
public enum Job: Hashable, Sendable {
    /// Load the session: users, histories, questions and any finished run in its store.
    case loadSession
    /// The retriever's top `k` history items of user `userID` for question `questionID`.
    case retrieve(userID: String, questionID: String, k: Int)
    /// Run the session's HYDRA pipeline (all methods), resuming from the session store.
    case runPipeline
    /// Everything about one question: the three rankings with the BM25 breakdown, agreement,
    /// the candidates under both heads, and every method's prompt and answer (cached LLM calls).
    case inspect(questionID: String)
    /// A counterfactual on one item of the question's personalized prompt.
    case counterfactual(questionID: String, itemID: String, kind: CounterfactualKind)
    /// Every head against the others: the inspector's table, maps and learned preferences.
    case heads
    /// What re-fitting `userID`'s heads on the edited history will cost (no LLM call made).
    case refitPlan(userID: String, edit: HistoryEdit)
    /// Re-fit `userID`'s heads on the edited history (base frozen) and compare every question.
    /// The run's saved heads stay as they are.
    case refit(userID: String, edit: HistoryEdit)
    /// Save the last re-fit of `userID` over the run's heads.
    case keepRefit(userID: String)
    /// The cold start curve over `userIDs` (empty: every evaluation user).
    case coldStart(userIDs: [String], sizes: [Int], seeds: Int)
    /// Write `userID`'s Markdown report with its SVG charts into `directory`.
    case exportReport(userID: String, directory: String, coldStart: ColdStartReport?)
}

/// What a job reports while it works and when it ends. A job that throws ends with its error;
/// a cancelled one with `CancellationError`.
public enum JobEvent: Sendable {
    /// Overall progress 0...1 and what is happening.
    case progress(Double, String)
    /// A run's stage started, moved or finished.
    case stage(StageUpdate)
    /// Training steps.
    case loss([LossPoint])
    /// A line for the status bar and the run's log.
    case note(String)
    /// The job's result (its last event).
    case result(JobResult)
}

/// The results of the jobs.
public enum JobResult: Sendable {
    case session(SessionSnapshot)
    case retrieved([RetrievedHit])
    case run(RunReport, users: [UserEntry])
    case question(QuestionReport)
    case counterfactual(CounterfactualReport)
    case heads(HeadsReport)
    case refitPlan(RefitPlan)
    case refit(RefitReport)
    case keptRefit(userID: String)
    case coldStart(ColdStartReport)
    /// The report's files, Markdown first.
    case reportWritten([String])
}

/// The engine as the workbench sees it: one entry point, called off the UI thread. Long work
/// checks `Task.isCancelled` between LLM calls and training steps.
public protocol WorkbenchBackend: Sendable {
    /// Runs `job`, reporting through `emit` and ending with `.result`.
    func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws
}
