import Foundation
import WorkbenchAPI

/// A one-line progress indicator on stderr, redrawn at most ten times a second when stderr is a
/// terminal; when it is not (a log, CI), a plain line every `logInterval` seconds instead, so a
/// long run is never silent and a log gets no carriage-return noise.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let start: Date
    private var lastDraw: Date
    private var drawn = false
    private let lock = NSLock()
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date
    static let logInterval: TimeInterval = 30

    /// - Parameters:
    ///   - interactive: whether stderr is a terminal (tests say which).
    ///   - write: where the text goes (stderr).
    ///   - clock: the time (tests move it).
    init(
        label: String, interactive: Bool = isatty(2) != 0,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        // labels carry paths, which may hold control characters; the line's own \r and ESC [K stay
        self.label = TerminalText.line(label)
        self.interactive = interactive
        self.write = write
        self.clock = clock
        start = clock()
        lastDraw = interactive ? .distantPast : start
    }

    /// Redraws the line; `detail` is appended as given (e.g. the LLM's tokens/s).
    func update(_ done: Double, of total: Double, unit: Double = 1, unitName: String = "", detail: String = "") {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        guard interactive else {
            guard now.timeIntervalSince(lastDraw) >= Self.logInterval, done < total else { return }
            lastDraw = now
            let elapsed = now.timeIntervalSince(start)
            let fraction = total > 0 ? min(1, done / total) : 0
            let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
            let line = String(format: "%@: %.0f/%.0f %@ (%.0f%%) after %.0fs, about %.0fs left%@\n",
                              label, done / unit, total / unit, unitName, fraction * 100, elapsed, left, detail)
            write(line)
            return
        }
        guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, done / total) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? done / unit / elapsed : 0
        let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = String(format: "\r%@ %@ %3.0f%%  %.1f/%.1f %@  %.1f %@/s  %.0fs left%@",
                          label, bar, fraction * 100, done / unit, total / unit, unitName, rate, unitName, left, detail)
        write(line)
        drawn = true
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { write("\r\u{1B}[K") }
    }
}
