/// A counting semaphore for async code: at most `limit` holders at once, waiters served in order.
///
/// A waiting task that is cancelled leaves the queue at once and gets `CancellationError`. The
/// OpenAI client bounds its connections with it, and `hydra serve` its line in front of the model.
public actor AsyncSemaphore {
    /// `acquire(maxWaiting:)` found that many tasks already waiting.
    public struct QueueFull: Error, Equatable {
        public var waiting: Int
    }

    private let limit: Int
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    /// - Parameter limit: how many holders may run at once (at least 1).
    public init(limit: Int) {
        precondition(limit >= 1, "AsyncSemaphore needs a limit of at least 1")
        self.limit = limit
        available = limit
    }

    /// Permits held and tasks waiting.
    public var occupancy: (holders: Int, waiting: Int) { (limit - available, waiters.count) }

    /// Waits for a permit. Every successful `acquire` must be matched by one `release`.
    /// - Parameter maxWaiting: refuse rather than wait when this many tasks already wait.
    /// - Throws: `QueueFull` when the line is full; `CancellationError` if the task is cancelled
    ///   while waiting.
    public func acquire(maxWaiting: Int? = nil) async throws {
        try Task.checkCancellation()
        if available > 0 {
            available -= 1
            return
        }
        if let maxWaiting, waiters.count >= maxWaiting { throw QueueFull(waiting: waiters.count) }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Returns a permit, handing it straight to the longest waiter if there is one.
    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        if let index = waiters.firstIndex(where: { $0.id == id }) {
            waiters.remove(at: index).continuation.resume(throwing: CancellationError())
        }
    }
}
