import Foundation

/// Text made safe for the report's Markdown: rendered as literal text on a code-hosting site and
/// by any CommonMark viewer, never as markup, HTML or a broken table.
enum Markdown {
    /// Characters CommonMark would read as markup; a backslash before any ASCII punctuation makes
    /// it literal, and GitHub tables treat `\|` as a pipe inside a cell.
    private static let markupCharacters: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "#", "~", "!"]

    /// `text` on one line, without controls, markup characters escaped and `&`, `<`, `>` as
    /// entities (raw HTML such as `<script>` stays text). Safe in a paragraph, list item or table cell.
    static func text(_ text: String) -> String {
        var out = ""
        for character in Sanitize.stripControls(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case _ where markupCharacters.contains(character): out += "\\" + String(character)
            default: out.append(character)
            }
        }
        // at the start of a list item these would open a nested list or a setext heading
        if let first = out.first, "-+=".contains(first) { out = "\\" + out }
        return out
    }

    /// `text` shortened to `limit` characters, then escaped.
    static func text(_ text: String, limit: Int) -> String {
        Self.text(Sanitize.shorten(Sanitize.stripControls(text), to: limit))
    }

    /// A table with `header` and `rows`; cells are used as given (escape them first).
    static func table(_ header: [String], _ rows: [[String]], alignRight: Set<Int> = []) -> String {
        let rule = header.indices.map { alignRight.contains($0) ? "---:" : "---" }
        return ([header, rule] + rows).map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
    }

    /// `value` with `decimals` digits (trailing zeros kept, so a column lines up), or `–`.
    static func number(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.\(decimals)f", value)
    }

    /// `value` with an explicit sign (`+0.120`, `−0.050`), or `–`.
    static func signed(_ value: Double?, decimals: Int = 3) -> String {
        guard let value, value.isFinite else { return "–" }
        let magnitude = String(format: "%.\(decimals)f", abs(value))
        return (value < 0 ? "−" : "+") + magnitude
    }
}
