import WorkbenchAPI

/// The id of a job the workbench started.
public struct JobID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: Int
    public init(_ raw: Int) { self.raw = raw }
    public static func < (a: JobID, b: JobID) -> Bool { a.raw < b.raw }
    public var description: String { "#\(raw)" }
}

/// How a job ended.
public enum JobEnd: Sendable {
    case result(JobResult)
    case failed(String)
    case cancelled
}

/// Everything one job reported since the last frame, coalesced: the latest progress, the
/// latest update of each stage, every loss point and note, and the end if it came.
public struct JobBatch: Sendable {
    public var progress: (fraction: Double, label: String)?
    public var stages: [StageUpdate] = []
    public var losses: [LossPoint] = []
    public var notes: [String] = []
    public var end: JobEnd?

    public init(
        progress: (fraction: Double, label: String)? = nil, stages: [StageUpdate] = [], losses: [LossPoint] = [],
        notes: [String] = [], end: JobEnd? = nil
    ) {
        self.progress = progress
        self.stages = stages
        self.losses = losses
        self.notes = notes
        self.end = end
    }

    /// Folds `event` in: later progress and stage updates replace earlier ones.
    public mutating func add(_ event: JobEvent) {
        switch event {
        case .progress(let fraction, let label): progress = (fraction, label)
        case .stage(let update):
            if let i = stages.firstIndex(where: { $0.stage == update.stage }) { stages[i] = update } else { stages.append(update) }
        case .loss(let points): losses += points
        case .note(let text): notes.append(text)
        case .result(let result): end = .result(result)
        }
    }
}

/// Everything that can happen to the workbench: input, time, and job reports.
public enum Msg: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
    /// A periodic tick with the monotonic clock in seconds (spinners, elapsed times).
    case tick(Double)
    /// A job's reports since the last frame, received at monotonic time `at`.
    case job(JobID, JobBatch, at: Double)
    /// A file the workbench wrote (or the error).
    case wrote(path: String, error: String?)
}

/// Work that ``update(_:_:)`` asks the runtime to do: update itself never performs I/O.
public enum Command: Sendable {
    /// Start `job` on the engine, reporting as `id`.
    case start(JobID, Job)
    /// Cancel a job (its task is cancelled; a `cancelled` end follows).
    case cancel(JobID)
    /// Use another theme.
    case applyTheme(Theme)
    /// Write `contents` to `path`.
    case write(path: String, contents: String)
    /// Put `text` on the terminal's clipboard (OSC 52).
    case copyToClipboard(String)
    /// Leave the main loop and restore the terminal.
    case quit
}
