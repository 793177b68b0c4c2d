import Foundation

/// A key press, already decoded by the backend.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Control plus a letter, e.g. `.ctrl("c")`.
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    /// F1-F12.
    case function(Int)

    /// How the key is written in help and key tables ("j", "Down", "S-Tab", "C-c", "F1").
    public var label: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "C-\(c)"
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Bksp"
        case .delete: "Del"
        case .function(let n): "F\(n)"
        }
    }
}

/// A mouse event at a cell.
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }
    /// What happened.
    public var kind: Kind
    /// The cell under the pointer.
    public var position: Point
    /// A mouse event.
    public init(kind: Kind, position: Point) {
        self.kind = kind
        self.position = position
    }
}

/// What a terminal reports: a key, a mouse event or a new size.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
}

/// The only seam between the workbench and a real terminal (ncurses lives behind it).
///
/// The runtime calls these from one thread: ``enter()`` once, then ``readEvent(timeoutMilliseconds:)``
/// and ``present(_:cursor:)`` in a loop, and ``leave()`` on every way out.
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Takes over the terminal (alternate screen, raw keys, mouse).
    func enter() throws
    /// Restores the terminal to how it was before ``enter()``; safe to call twice.
    func leave()
    /// Waits up to `timeoutMilliseconds` (0 = poll) for one input event.
    func readEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// Shows `canvas`, writing only cells that changed since the last call, and places the
    /// cursor (hidden when nil).
    func present(_ canvas: Canvas, cursor: Point?)
    /// Maps style roles to colours from now on (redraws everything on the next present).
    func apply(theme: Theme)
    /// Puts `text` on the clipboard of the terminal emulator (OSC 52), where it allows it.
    func copyToClipboard(_ text: String)
}

/// A terminal in memory: scripted input, the last presented canvas, and counters.
///
/// Tests and the frame benchmark use it; it applies the same diff as a real backend.
public final class MemoryTerminal: Terminal {
    /// The current size.
    public private(set) var size: Size
    /// The screen as last presented.
    public private(set) var screen: Canvas
    /// Events still to be read, oldest first.
    public var pendingEvents: [InputEvent] = []
    /// Called whenever the pending events run out, with the number of frames so far; it may
    /// append more events (the benchmark's scripted typist).
    public var onIdle: ((MemoryTerminal) -> Void)?
    /// Number of presents, and cells written by the last one.
    public private(set) var presentCount = 0
    public private(set) var cellsWrittenLastPresent = 0
    /// When each present happened (monotonic seconds), for latency measurements.
    public private(set) var presentTimes: [Double] = []
    /// When each key event was handed out (monotonic seconds).
    public private(set) var readTimes: [Double] = []
    /// The theme last applied.
    public private(set) var theme: Theme = .defaultDark
    /// The cursor as last presented (nil: hidden).
    public private(set) var cursor: Point?
    /// Whether the terminal is between `enter()` and `leave()`.
    public private(set) var entered = false
    private var front: Canvas?

    /// A blank terminal of `size`.
    public init(size: Size) {
        self.size = size
        screen = Canvas(size: size)
    }

    /// Queues a resize event and changes the size, as SIGWINCH would.
    public func resize(to newSize: Size) {
        size = newSize
        pendingEvents.append(.resize(newSize))
    }

    /// Queues key presses.
    public func type(_ keys: Key...) {
        pendingEvents += keys.map { .key($0) }
    }

    public func enter() throws { entered = true }
    public func leave() { entered = false }

    public func readEvent(timeoutMilliseconds: Int) -> InputEvent? {
        if pendingEvents.isEmpty { onIdle?(self) }
        guard !pendingEvents.isEmpty else {
            if timeoutMilliseconds > 0 { Thread.sleep(forTimeInterval: Double(timeoutMilliseconds) / 1000) }
            return nil
        }
        readTimes.append(MonotonicClock.seconds())
        return pendingEvents.removeFirst()
    }

    public func present(_ canvas: Canvas, cursor: Point?) {
        let runs = canvas.changedRuns(since: front)
        cellsWrittenLastPresent = runs.reduce(0) { $0 + $1.cells.count }
        front = canvas
        screen = canvas
        self.cursor = cursor
        presentCount += 1
        presentTimes.append(MonotonicClock.seconds())
    }

    public func apply(theme: Theme) {
        self.theme = theme
        front = nil
    }

    /// What the app last put on the clipboard.
    public private(set) var clipboard: String?

    public func copyToClipboard(_ text: String) { clipboard = text }

    /// The screen as text.
    public func dump() -> String { screen.dump() }
}

/// Monotonic time in seconds, for frame timing.
public enum MonotonicClock {
    public static func seconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
