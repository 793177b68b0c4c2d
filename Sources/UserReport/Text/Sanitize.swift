import Foundation

/// Text made safe to embed in the report's files: every writer passes user-supplied text (profile
/// items, answers, ids) through here, so a history item cannot inject markup or terminal escapes.
enum Sanitize {
    /// `text` without control characters: C0 and C1 controls, DEL and the non-characters
    /// U+FFFE/U+FFFF are dropped; newlines and tabs become spaces unless `keepNewlines` (then a
    /// newline stays and `\r\n` becomes `\n`).
    static func stripControls(_ text: String, keepNewlines: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar.value {
            case 0x0A where keepNewlines: out.append(scalar)
            case 0x09, 0x0A, 0x0D: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// `text` on one line, without controls, with `&`, `<`, `>`, `"` and `'` as XML entities:
    /// safe as SVG element text and inside a quoted attribute.
    static func xml(_ text: String) -> String {
        var out = ""
        for character in stripControls(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` cut to at most `limit` characters, on a word boundary where one is near, with `…`.
    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        let cut = text.prefix(limit - 1)
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 {
            return String(cut[..<space]) + "…"
        }
        return String(cut) + "…"
    }
}
