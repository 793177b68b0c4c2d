/// A semantic style role: what a piece of text *is*, never which colour it has.
///
/// Views draw with roles only; a ``Theme`` maps roles to colours, and only the terminal
/// backend turns those into escape codes or curses colour pairs (tig's `enum line_type`).
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    case normal, title, border, focusedBorder, header, selection, selectionUnfocused, selectionHighlight
    case scoreUp, scoreDown, dim, error, status, statusKey, highlight
    case plotSeries1, plotSeries2, plotSeries3, overlay, progress, commandLine
}

/// A terminal colour: the terminal's default, a palette index (0-15 are the ANSI colours),
/// or 24-bit RGB (mapped to the nearest palette entry by backends that lack true colour).
public enum TerminalColor: Hashable, Sendable {
    case `default`
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// The ANSI colour names accepted in theme files, index 0-15.
    public static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue",
        "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// Parses a colour name ("red", "bright-cyan", "gray", "default"), a palette index
    /// (0-255, as a number or a numeric string) or "#rrggbb"; nil when it is none of these.
    public init?(parsing text: String) {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        if t == "default" || t == "none" {
            self = .default
        } else if t == "gray" || t == "grey" {
            self = .indexed(8)
        } else if let i = TerminalColor.names.firstIndex(of: t) {
            self = .indexed(UInt8(i))
        } else if let n = Int(t), (0...255).contains(n) {
            self = .indexed(UInt8(n))
        } else if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        } else {
            return nil
        }
    }

    /// The nearest entry of the 256-colour xterm palette (the 6×6×6 cube or the grey ramp).
    public var palette256: Int {
        switch self {
        case .default: return -1
        case .indexed(let i): return Int(i)
        case .rgb(let r, let g, let b):
            func level(_ c: UInt8) -> Int { c < 48 ? 0 : c < 115 ? 1 : (Int(c) - 35) / 40 }
            let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
            if r == g, g == b {
                let grey = Int(r)
                if grey < 8 { return 16 }
                if grey > 238 { return 231 }
                return 232 + (grey - 8) / 10
            }
            return cube
        }
    }

    /// The nearest of the 16 ANSI colours (or of the first 8 when `bright` is false).
    public func ansi(bright: Bool) -> Int {
        let index: Int
        switch self {
        case .default: return -1
        case .indexed(let i) where i < 16: index = Int(i)
        case .indexed(let i):
            let (r, g, b) = TerminalColor.rgbOfPalette(Int(i))
            index = TerminalColor.nearestANSI(r, g, b)
        case .rgb(let r, let g, let b): index = TerminalColor.nearestANSI(Int(r), Int(g), Int(b))
        }
        return bright ? index : index % 8
    }

    static func rgbOfPalette(_ i: Int) -> (Int, Int, Int) {
        if i >= 232 { let v = 8 + (i - 232) * 10; return (v, v, v) }
        let c = i - 16
        func comp(_ n: Int) -> Int { n == 0 ? 0 : 55 + n * 40 }
        return (comp(c / 36), comp(c / 6 % 6), comp(c % 6))
    }

    static func nearestANSI(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let ansi: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
            (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
            (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        var best = 0
        var bestDistance = Int.max
        for (i, c) in ansi.enumerated() {
            let d = (c.0 - r) * (c.0 - r) + (c.1 - g) * (c.1 - g) + (c.2 - b) * (c.2 - b)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }
}

/// How one role looks: colours plus attributes.
public struct TextStyle: Hashable, Sendable {
    /// Text colour.
    public var foreground: TerminalColor
    /// Cell colour.
    public var background: TerminalColor
    /// Bold text.
    public var bold: Bool
    /// Underlined text.
    public var underline: Bool
    /// Swapped foreground and background.
    public var reverse: Bool
    /// Half-bright text.
    public var dim: Bool

    /// A style; every part defaults to the terminal default.
    public init(
        foreground: TerminalColor = .default, background: TerminalColor = .default,
        bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }
}
