import WorkbenchAPI

/// Text from the data made safe for one terminal line.
public enum DisplayText {
    /// `text` on one line: control characters (escape sequences, NUL, C1 codes) become `·`,
    /// line breaks and tabs become spaces, so data can never move the cursor or retitle the
    /// window.
    public static func line(_ text: String) -> String {
        TerminalText.line(text)
    }

    /// `line(text)` cut to `limit` characters with an ellipsis.
    public static func clip(_ text: String, _ limit: Int) -> String {
        let clean = line(text)
        return clean.count <= limit ? clean : String(clean.prefix(max(0, limit - 1))) + "…"
    }
}
