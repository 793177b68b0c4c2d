import Foundation
import WorkbenchAPI

/// Collects training steps into batches, so a fit of thousands of steps a second does not send
/// the UI one event per step.
final class LossBatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [LossPoint] = []
    private var lastFlush = Date()
    private let maxPoints: Int
    private let maxDelay: TimeInterval

    init(maxPoints: Int = 64, maxDelay: TimeInterval = 0.05) {
        self.maxPoints = maxPoints
        self.maxDelay = maxDelay
    }

    /// Adds a point; returns a batch when one is due (full, or the oldest point has waited long
    /// enough).
    func add(_ point: LossPoint) -> [LossPoint]? {
        lock.withLock {
            pending.append(point)
            guard pending.count >= maxPoints || Date().timeIntervalSince(lastFlush) >= maxDelay else { return nil }
            return takeAll()
        }
    }

    /// Whatever is pending, or nil.
    func flush() -> [LossPoint]? {
        lock.withLock { pending.isEmpty ? nil : takeAll() }
    }

    private func takeAll() -> [LossPoint] {
        defer {
            pending = []
            lastFlush = Date()
        }
        return pending
    }
}
