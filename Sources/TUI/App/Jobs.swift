import WorkbenchAPI

/// A job the workbench is waiting on.
public struct RunningJob: Sendable {
    public var job: Job
    /// Shown in the header's spinner and the quit confirmation.
    public var label: String
    /// The screen the result is for; when that screen is gone the result is dropped. nil for
    /// jobs the whole workbench shares (loading, the run).
    public var owner: Route?
}

/// The jobs in flight, by id.
public struct JobTable: Sendable {
    public private(set) var running: [JobID: RunningJob] = [:]
    private var next = 1

    public init() {}

    /// Registers a job and returns the command that starts it.
    public mutating func start(_ job: Job, label: String, owner: Route? = nil) -> (JobID, Command) {
        let id = JobID(next)
        next += 1
        running[id] = RunningJob(job: job, label: label, owner: owner)
        return (id, .start(id, job))
    }

    /// Forgets a job and returns the command that cancels it (nil if it was not running).
    public mutating func cancel(_ id: JobID) -> Command? {
        running.removeValue(forKey: id) == nil ? nil : .cancel(id)
    }

    /// Forgets a job that ended.
    public mutating func finish(_ id: JobID) { running[id] = nil }

    public subscript(id: JobID) -> RunningJob? { running[id] }

    public var isEmpty: Bool { running.isEmpty }

    /// Labels of the running jobs, oldest first.
    public var labels: [String] { running.sorted { $0.key < $1.key }.map(\.value.label) }
}
