import Basics
import Foundation

/// Samples the process's resident set (`VmRSS`) every few milliseconds from a thread of its own,
/// so a test can bound what one piece of work adds at its peak. The process-wide peak (`VmHWM`)
/// cannot serve: an earlier test in the same process may have set it.
public final class ResidentMemoryWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var peak: Int
    /// Resident megabytes when the watch started.
    public let baseline: Int

    /// Starts sampling.
    public init() {
        baseline = Self.residentMegabytes()
        peak = baseline
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                let now = Self.residentMegabytes()
                lock.withLock { peak = max(peak, now) }
                usleep(5_000)
            }
        }
    }

    /// Stops sampling; returns the largest growth over the baseline seen, in megabytes.
    public func stop() -> Int {
        let now = Self.residentMegabytes()
        return lock.withLock {
            running = false
            return max(peak, now) - baseline
        }
    }

    /// The resident set now, in megabytes; 0 where /proc is missing.
    public static func residentMegabytes() -> Int {
        (ProcessMemory.residentBytes() ?? 0) / (1024 * 1024)
    }
}
