/// Text from the data made safe to print on a terminal: control characters (ESC sequences that
/// clear the screen or retitle the window, NUL, BEL, C1 codes such as CSI) become `·`, so data
/// can never drive the terminal. The TUI and the command line's human-readable output share it;
/// JSON output needs none of it, as JSON escapes control characters itself.
public enum TerminalText {
    /// `text` on one line: control characters become `·`, and line breaks and tabs become spaces
    /// (for table cells and one-line fields).
    public static func line(_ text: String) -> String {
        sanitized(text, keepLayout: false)
    }

    /// `text` with its line breaks and tabs kept (a CRLF becomes a plain line break) and every
    /// other control character made `·` (for multi-line reports and messages).
    public static func block(_ text: String) -> String {
        sanitized(text, keepLayout: true)
    }

    private static func sanitized(_ text: String, keepLayout: Bool) -> String {
        // the common case, plain text, is returned as is without building a copy
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: out.append(keepLayout ? scalar : " ")
            case 0x0D: if !keepLayout { out.append(" ") }
            case _ where isControl(scalar): out.append("·")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// C0 (including line breaks and tabs), DEL and C1.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}
