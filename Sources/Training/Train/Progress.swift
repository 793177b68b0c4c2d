import Foundation

/// Which part of training an event belongs to.
public enum TrainingPhase: Sendable, Equatable {
    /// The shared phase: base and training users' heads together.
    case joint
    /// Fitting one user's head with the base frozen.
    case fit(userID: String)

    /// The user being fitted, or "(joint)".
    public var userID: String {
        if case .fit(let id) = self { return id }
        return "(joint)"
    }
}

/// One optimizer step's progress report.
public struct TrainingEvent: Sendable, Equatable {
    /// Joint training or a user's fit.
    public var phase: TrainingPhase
    /// Steps done in this phase (1-based).
    public var step: Int
    /// Steps this phase will take.
    public var totalSteps: Int
    /// Current epoch (1-based).
    public var epoch: Int
    /// Loss of this step's batch, before the update.
    public var loss: Float
    /// Exponential moving average of the loss (factor 0.9, bias-corrected).
    public var smoothedLoss: Float
    /// Examples processed per second so far.
    public var examplesPerSecond: Double
    /// Estimated seconds until this phase ends.
    public var secondsRemaining: Double
}

/// A thread-safe flag that asks a training loop to stop at its next step.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false

    /// A token not yet cancelled.
    public init() {}

    /// Requests cancellation.
    public func cancel() {
        lock.lock()
        flag = true
        lock.unlock()
    }

    /// Whether cancellation was requested.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return flag
    }
}

/// Receives progress events; called on the training thread, so keep it short.
public typealias ProgressHandler = @Sendable (TrainingEvent) -> Void

/// Tracks loss smoothing, throughput and time left for one phase.
struct ProgressMeter {
    let phase: TrainingPhase
    let totalSteps: Int
    let start = DispatchTime.now().uptimeNanoseconds
    private var average: Double = 0
    private var steps = 0
    private var examples = 0

    init(phase: TrainingPhase, totalSteps: Int) {
        self.phase = phase
        self.totalSteps = totalSteps
    }

    mutating func record(loss: Float, epoch: Int, batchSize: Int) -> TrainingEvent {
        steps += 1
        examples += batchSize
        average = 0.9 * average + 0.1 * Double(loss)
        let smoothed = average / (1 - pow(0.9, Double(steps)))
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let perStep = elapsed / Double(steps)
        return TrainingEvent(
            phase: phase, step: steps, totalSteps: totalSteps, epoch: epoch, loss: loss,
            smoothedLoss: Float(smoothed), examplesPerSecond: elapsed > 0 ? Double(examples) / elapsed : 0,
            secondsRemaining: perStep * Double(max(0, totalSteps - steps)))
    }
}
