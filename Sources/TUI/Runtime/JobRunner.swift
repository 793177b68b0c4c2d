import Foundation
import WorkbenchAPI

/// The one channel between the UI loop and the engine: starts jobs as background tasks, and
/// collects what they report, coalesced per job, until the loop drains it once per frame.
///
/// A training run reports thousands of steps a second; the UI sees at most one batch per job
/// per frame (latest progress, latest update per stage, every loss point and note).
public final class JobRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [JobID: JobBatch] = [:]
    private var order: [JobID] = []
    private var tasks: [JobID: Task<Void, Never>] = [:]
    /// Jobs that reported their result (a later error or cancellation does not replace it).
    private var resulted: Set<JobID> = []
    private let backend: any WorkbenchBackend

    public init(backend: any WorkbenchBackend) { self.backend = backend }

    /// Folds one event of job `id` into its pending batch.
    func post(_ id: JobID, _ event: JobEvent) {
        lock.lock()
        defer { lock.unlock() }
        if pending[id] == nil {
            pending[id] = JobBatch()
            order.append(id)
        }
        pending[id]!.add(event)
        if case .result = event { resulted.insert(id) }
    }

    func end(_ id: JobID, _ end: JobEnd) {
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = nil
        // a job that reported its result has ended; a late error or cancellation changes nothing
        if resulted.remove(id) != nil { return }
        if pending[id] == nil {
            pending[id] = JobBatch()
            order.append(id)
        }
        pending[id]!.end = end
    }

    /// Takes every pending batch, in the order the jobs first reported since the last drain.
    public func drain() -> [(JobID, JobBatch)] {
        lock.lock()
        defer { lock.unlock() }
        let batches = order.compactMap { id in pending[id].map { (id, $0) } }
        pending = [:]
        order = []
        return batches
    }

    /// Starts `job` as `id`.
    public func start(_ id: JobID, _ job: Job) {
        let backend = self.backend
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = Task.detached { [self] in
            do {
                try await backend.run(job) { event in self.post(id, event) }
                self.end(id, Task.isCancelled ? .cancelled : .failed("the engine ended the job without a result"))
            } catch {
                self.end(id, Task.isCancelled || error is CancellationError ? .cancelled : .failed(describe(error)))
            }
        }
    }

    /// Cancels job `id`; it ends with `cancelled` unless its result already came.
    public func cancel(_ id: JobID) {
        lock.lock()
        let task = tasks[id]
        lock.unlock()
        task?.cancel()
    }

    /// Cancels everything still running.
    public func cancelAll() {
        lock.lock()
        let all = tasks.values
        tasks = [:]
        lock.unlock()
        for task in all { task.cancel() }
    }

    /// Jobs still running.
    public var runningCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return tasks.count
    }
}

/// A readable message for an error.
public func describe(_ error: any Error) -> String {
    if let error = error as? LocalizedError, let text = error.errorDescription { return text }
    return String(describing: error)
}
