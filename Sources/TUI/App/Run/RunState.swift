import WorkbenchAPI

/// The session's HYDRA run as the workbench tracks it: shared by the run, training and results
/// screens, and kept when they close.
public struct RunState: Sendable {
    public enum Status: Sendable, Equatable {
        /// Nothing run yet in this session.
        case idle
        /// The job is running.
        case running
        /// Finished now, or `saved` when the results came from the store.
        case finished(saved: Bool)
        case failed(String)
        case cancelled
    }

    /// A stage's progress and timing.
    public struct Stage: Sendable, Equatable {
        public var update: StageUpdate
        /// Monotonic time the workbench first saw the stage running.
        public var startedAt: Double
    }

    public var status: Status = .idle
    /// The running job.
    public var job: JobID?
    public var stages: [RunStage: Stage] = [:]
    /// The stage that was running when the run failed or stopped.
    public var current: RunStage?
    public var losses = LossHistory()
    public var report: RunReport?
    /// Recent notes of the run, oldest first (at most `logLimit`).
    public private(set) var log: [String] = []
    public static let logLimit = 200
    /// When the job started (monotonic seconds).
    public var startedAt: Double?

    public init() {}

    public var isRunning: Bool { status == .running }

    public mutating func note(_ text: String) {
        log.append(text)
        if log.count > RunState.logLimit { log.removeFirst(log.count - RunState.logLimit) }
    }

    /// Applies a stage update received at `time`.
    public mutating func apply(_ update: StageUpdate, at time: Double) {
        let started = stages[update.stage]?.startedAt ?? time
        stages[update.stage] = Stage(update: update, startedAt: started)
        if case .running = update.state { current = update.stage }
    }

    /// Seconds a stage has taken (finished) or is taking (running) at `now`.
    public func elapsed(_ stage: RunStage, now: Double) -> Double? {
        guard let s = stages[stage] else { return nil }
        if case .done(let seconds) = s.update.state { return seconds }
        return max(0, now - s.startedAt)
    }

    /// Units per second of a stage, and the seconds it still needs at that rate.
    public func rate(_ stage: RunStage, now: Double) -> (perSecond: Double, left: Double?)? {
        guard let s = stages[stage], let elapsed = elapsed(stage, now: now), elapsed > 0, s.update.done > 0 else { return nil }
        let perSecond = Double(s.update.done) / elapsed
        if case .done = s.update.state { return (perSecond, 0) }
        return (perSecond, Double(max(0, s.update.total - s.update.done)) / perSecond)
    }
}
