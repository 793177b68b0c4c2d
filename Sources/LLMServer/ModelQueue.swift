import Basics
import Foundation

/// The line in front of the model: at most `slots` requests are served at once and at most
/// `maxWaiting` wait, served in arrival order (FIFO, so no client can overtake another).
///
/// A request that finds the line full is refused at once with an estimate of when to retry;
/// a waiting request is never timed out (the line is bounded, so its wait is too). A waiting task
/// that is cancelled leaves the line and gets `CancellationError`.
actor ModelQueue {
    /// The line is full; try again after `retryAfter` seconds.
    struct Full: Error {
        var retryAfter: Int
        var waiting: Int
    }

    private let slots: Int
    private let maxWaiting: Int
    private let line: AsyncSemaphore
    /// Moving average of the seconds a request holds its slot, for `Retry-After`.
    private var averageServiceSeconds = 1.0

    init(slots: Int, maxWaiting: Int) {
        self.slots = max(1, slots)
        self.maxWaiting = max(0, maxWaiting)
        line = AsyncSemaphore(limit: self.slots)
    }

    /// Requests being served and waiting (for tests and logs).
    var occupancy: (serving: Int, waiting: Int) {
        get async {
            let (holders, waiting) = await line.occupancy
            return (holders, waiting)
        }
    }

    /// Takes a slot, waiting in line for it. Every successful `enter` must be matched by one `leave`.
    /// - Throws: `Full` when `maxWaiting` requests already wait; `CancellationError` when the task is
    ///   cancelled while waiting.
    func enter() async throws {
        do {
            try await line.acquire(maxWaiting: maxWaiting)
        } catch let full as AsyncSemaphore.QueueFull {
            throw Full(retryAfter: await retryAfterEstimate(), waiting: full.waiting)
        }
    }

    /// Gives the slot back (straight to the longest waiter, if any) after holding it `seconds`.
    func leave(heldFor seconds: Double) async {
        if seconds.isFinite, seconds >= 0 { averageServiceSeconds = 0.8 * averageServiceSeconds + 0.2 * seconds }
        await line.release()
    }

    /// Seconds until a slot is likely free for one more request: the line ahead of it times the
    /// average service time, between 1 s and 10 minutes.
    private func retryAfterEstimate() async -> Int {
        let (serving, waiting) = await line.occupancy
        let ahead = Double(waiting + serving) / Double(slots)
        let seconds = (ahead * averageServiceSeconds).rounded(.up)
        return Int(min(600, max(1, seconds.isFinite ? seconds : 600)))
    }
}

extension ModelQueue {
    /// Runs `work` once a slot is free and gives the slot back when it ends, however it ends.
    nonisolated func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        let start = Date()
        do {
            let value = try await work()
            await leave(heldFor: Date().timeIntervalSince(start))
            return value
        } catch {
            await leave(heldFor: Date().timeIntervalSince(start))
            throw error
        }
    }
}

/// The model took longer than `ServerLimits.modelCallTimeout` on one request.
struct ModelCallTimedOut: Error {
    var seconds: Double
}

/// Runs `work`, cancelling it after `seconds`; returns once `work` has really ended, so the model
/// slot it holds is not handed on while the model still computes.
/// - Throws: `ModelCallTimedOut` when the time ran out, else what `work` throws.
func withModelCallTimeout<T: Sendable>(_ seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(min(seconds, 1e7) * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw ModelCallTimedOut(seconds: seconds) }
        return value
    }
}
