import Dispatch
import Foundation

/// Seconds of forward passes by phase, accumulated over the life of a `LlamaState`: what a
/// caller needs to say where the runtime's time goes (prefill, decode, and attention inside both).
///
/// The forward loop writes on its own thread; readers take snapshots from any thread. It costs a
/// clock read per pass and two per layer (for attention), never one per row.
public final class ForwardTimings: @unchecked Sendable {
    /// What a forward pass works on.
    public enum Phase: Sendable {
        /// Given tokens: a prompt, or the answers constrained choice scores.
        case prefill
        /// Tokens just sampled, one row per live stream.
        case decode
    }

    /// Running totals in seconds.
    public struct Totals: Sendable, Equatable {
        /// Forward passes over given tokens.
        public var prefill = 0.0
        /// Forward passes over sampled tokens.
        public var decode = 0.0
        /// Attention inside those passes (part of prefill and decode).
        public var attention = 0.0
    }

    private let lock = NSLock()
    private var totals = Totals()

    /// The totals so far.
    public var snapshot: Totals { lock.withLock { totals } }

    /// Runs `body` (forward passes of `phase`) and adds its duration to the phase's total.
    public func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = Self.now()
        defer {
            let seconds = Self.now() - start
            lock.withLock {
                switch phase {
                case .prefill: totals.prefill += seconds
                case .decode: totals.decode += seconds
                }
            }
        }
        return try body()
    }

    /// Adds the attention seconds one forward pass accumulated over its layers.
    func addAttention(_ seconds: Double) {
        lock.withLock { totals.attention += seconds }
    }

    /// A monotonic clock in seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
