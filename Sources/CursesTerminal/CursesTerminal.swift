import CNcursesw
import Foundation
import TUI

/// The ncursesw backend: wide characters, 8/16/256 colours (off under `NO_COLOR`), keys,
/// mouse and resize. Only cells that changed since the last frame are written.
///
/// The terminal is restored by ``leave()``, by an `atexit` hook, and by signal handlers for
/// SIGINT, SIGTERM, SIGHUP and crash signals (SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE).
public final class CursesTerminal: Terminal {
    /// How many colours the terminal gets.
    public enum ColorMode: Sendable { case none, ansi8, ansi16, palette256 }

    private var window: UnsafeMutablePointer<WINDOW>?
    private var front: Canvas?
    private var theme: Theme = .defaultDark
    private var styles: [StyleRole: (attributes: attr_t, pair: Int16)] = [:]
    private let noColor: Bool
    public private(set) var colorMode: ColorMode = .none

    /// - Parameter noColor: draw with attributes only; defaults to whether `NO_COLOR` is set
    ///   to a non-empty value.
    public init(noColor: Bool = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty) {
        self.noColor = noColor
    }

    public var size: Size {
        guard let window else { return Size(width: 80, height: 24) }
        return Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public func enter() throws {
        setlocale(LC_ALL, "")
        installRestoreHandlers()
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"),
            newterm(nil, output, input) != nil
        else {
            throw CursesError.cannotInitialise(term: ProcessInfo.processInfo.environment["TERM"] ?? "(unset)")
        }
        guard let screenWindow = cursesGlobal("stdscr", as: UnsafeMutablePointer<WINDOW>?.self) ?? nil else {
            endwin()
            throw CursesError.cannotInitialise(term: ProcessInfo.processInfo.environment["TERM"] ?? "(unset)")
        }
        window = screenWindow
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        // press is enough for a click; wheel arrives as buttons 4 and 5
        mousemask(mmask_t(Mouse.button1Pressed | Mouse.button1Clicked | Mouse.button4Pressed | Mouse.button5Pressed), nil)
        mouseinterval(0)
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            let colors = cursesGlobal("COLORS", as: Int32.self) ?? 8
            colorMode = colors >= 256 ? .palette256 : colors >= 16 ? .ansi16 : .ansi8
        }
        apply(theme: theme)
    }

    public func leave() {
        guard window != nil else { return }
        window = nil
        front = nil
        curs_set(1)
        endwin()
    }

    public func readEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard let window else { return nil }
        wtimeout(window, Int32(timeoutMilliseconds))
        var code: wint_t = 0
        let result = wget_wch(window, &code)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return functionKey(Int32(code)) }
        return characterKey(UInt32(code))
    }

    public func present(_ canvas: Canvas, cursor: Point?) {
        guard let window else { return }
        if front?.size != canvas.size { werase(window) }
        for run in canvas.changedRuns(since: front) {
            var start = 0
            while start < run.cells.count {
                // one write per stretch of cells in the same role
                let role = run.cells[start].role
                var end = start
                var text: [wchar_t] = []
                while end < run.cells.count, run.cells[end].role == role {
                    for scalar in run.cells[end].text.unicodeScalars { text.append(wchar_t(bitPattern: scalar.value)) }
                    end += 1
                }
                let style = styles[role] ?? (0, 0)
                wattr_set(window, style.attributes, style.pair, nil)
                mvwaddnwstr(window, Int32(run.y), Int32(run.x + start), text, Int32(text.count))
                start = end
            }
        }
        wattr_set(window, 0, 0, nil)
        if let cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wrefresh(window)
        front = canvas
    }

    /// OSC 52 with the text in base64; terminals that do not allow it ignore the sequence.
    /// Written past curses, which does not know the sequence and would not pass it through.
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    public func apply(theme: Theme) {
        self.theme = theme
        front = nil
        styles = [:]
        for (i, role) in StyleRole.allCases.enumerated() {
            let style = theme[role]
            var attributes: attr_t = 0
            if style.bold { attributes |= Attribute.bold }
            if style.underline { attributes |= Attribute.underline }
            if style.reverse { attributes |= Attribute.reverse }
            if style.dim { attributes |= Attribute.dim }
            var pair: Int16 = 0
            if colorMode == .none {
                // without colours, anything drawn on a background shows as reverse video
                if style.background != .default { attributes |= Attribute.reverse }
            } else {
                pair = Int16(i + 1)
                let fg = colorNumber(style.foreground)
                if colorMode == .ansi8, case .indexed(let index) = style.foreground, index >= 8, index < 16 {
                    attributes |= Attribute.bold
                }
                init_pair(pair, Int16(fg), Int16(colorNumber(style.background)))
            }
            styles[role] = (attributes, pair)
        }
    }

    private func colorNumber(_ color: TerminalColor) -> Int {
        switch colorMode {
        case .none: -1
        case .ansi8: color.ansi(bright: false)
        case .ansi16: color.ansi(bright: true)
        case .palette256: color.palette256
        }
    }

    private func characterKey(_ code: UInt32) -> InputEvent? {
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26:
            guard let scalar = Unicode.Scalar(code + 96) else { return nil }
            return .key(.ctrl(Character(scalar)))
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    private func functionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_RESIZE: return .resize(size)
        case KEY_MOUSE: return mouseEvent()
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let position = Point(x: Int(event.x), y: Int(event.y))
        let state = UInt(event.bstate)
        if state & Mouse.button4Pressed != 0 { return .mouse(MouseEvent(kind: .wheelUp, position: position)) }
        if state & Mouse.button5Pressed != 0 { return .mouse(MouseEvent(kind: .wheelDown, position: position)) }
        if state & (Mouse.button1Pressed | Mouse.button1Clicked) != 0 {
            return .mouse(MouseEvent(kind: .click, position: position))
        }
        return nil
    }
}

/// Why the terminal could not be taken over.
public enum CursesError: Error, CustomStringConvertible {
    case cannotInitialise(term: String)

    public var description: String {
        switch self {
        case .cannotInitialise(let term): "cannot initialise the terminal (TERM=\(term))"
        }
    }
}

// ncurses builds these with function-like macros, which Swift does not import.
// Values for NCURSES_ATTR_SHIFT 8 and NCURSES_MOUSE_VERSION 2 (ncurses 6).
enum Attribute {
    static let underline: attr_t = 1 << 17
    static let reverse: attr_t = 1 << 18
    static let dim: attr_t = 1 << 20
    static let bold: attr_t = 1 << 21
}

enum Mouse {
    static let button1Pressed: UInt = 0o2
    static let button1Clicked: UInt = 0o4
    static let button4Pressed: UInt = 0o2 << 15
    static let button5Pressed: UInt = 0o2 << 20
}

/// Reads one of ncurses' exported globals (`stdscr`, `COLORS`) by symbol. Swift 6 refuses
/// direct references to imported mutable C globals; only the UI thread calls this.
private func cursesGlobal<T>(_ name: String, as type: T.Type) -> T? {
    guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
    return address.load(as: T.self)
}

/// Restores the terminal on exit and on fatal signals, then lets the signal do its default.
private func installRestoreHandlers() {
    atexit { endwin() }
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
        signal(sig) { received in
            endwin()
            signal(received, SIG_DFL)
            raise(received)
        }
    }
}
