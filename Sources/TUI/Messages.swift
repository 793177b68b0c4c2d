/// Everything that can happen to the workbench: input, time, and engine results.
///
/// Engine results carry the id of the command that produced them, so results of a
/// cancelled or superseded command are recognised and dropped.
public enum Msg: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
    /// A periodic tick (drives spinners while work runs).
    case tick
    case loadProgress(task: Int, fraction: Double, label: String)
    case sessionLoaded(task: Int, data: WorkbenchData)
    case loadFailed(task: Int, message: String)
    case retrieved(task: Int, userIndex: Int, questionIndex: Int, items: [RetrievedItem])
    case retrieveFailed(task: Int, message: String)
    /// A command ended because it was cancelled.
    case cancelled(task: Int)
}

/// Work that ``update(_:_:)`` asks the runtime to do. Commands are descriptions: the runtime
/// runs engine work in background tasks that report back as ``Msg``s.
public enum Command: Hashable, Sendable {
    /// Load the session through the backend, reporting progress.
    case loadSession(task: Int)
    /// Retrieve the BM25 top-`k` for a question.
    case retrieve(task: Int, userIndex: Int, questionIndex: Int, k: Int)
    /// Cancel a running command.
    case cancel(task: Int)
    /// Use another theme.
    case applyTheme(Theme)
    /// Leave the main loop and restore the terminal.
    case quit
}
