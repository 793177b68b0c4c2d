extension Canvas {
    /// The canvas as text with ANSI SGR colours from `theme` (what `:save-screen FILE.ansi`
    /// writes: `cat` shows it as it looked).
    public func ansiText(theme: Theme) -> String {
        var out = ""
        for y in 0..<size.height {
            var current: StyleRole?
            for x in 0..<size.width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                if cell.role != current {
                    out += Canvas.sgr(theme[cell.role])
                    current = cell.role
                }
                out += cell.text
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    static func sgr(_ style: TextStyle) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        codes += colour(style.foreground, base: 38)
        codes += colour(style.background, base: 48)
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    private static func colour(_ color: TerminalColor, base: Int) -> [String] {
        switch color {
        case .default: return []
        case .indexed(let i): return ["\(base)", "5", "\(i)"]
        case .rgb(let r, let g, let b): return ["\(base)", "2", "\(r)", "\(g)", "\(b)"]
        }
    }
}
