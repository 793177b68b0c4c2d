/// Terminal column widths of text: CJK and emoji take two columns, combining marks none.
///
/// This is a small `wcwidth` for grapheme clusters. A cluster is as wide as its base scalar,
/// except that emoji presentation (an emoji scalar, or a text-default emoji followed by
/// VS16 U+FE0F) makes it two columns wide.
public enum DisplayWidth {
    /// The number of terminal columns `character` occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // fast path for ASCII, which is nearly all text in LaMP
        if first.value < 0x7F, scalars.count == 1 { return first.value < 0x20 ? 0 : 1 }
        var hasVS16 = false
        for scalar in scalars where scalar.value == 0xFE0F { hasVS16 = true }
        if first.properties.isEmojiPresentation { return 2 }
        if hasVS16, first.properties.isEmoji { return 2 }
        for scalar in scalars {
            let width = of(scalar: scalar)
            if width > 0 { return width }
        }
        return 0
    }

    /// The width of a single scalar: 0 for controls, combining marks and format characters,
    /// 2 for East Asian Wide / Fullwidth ranges, 1 otherwise.
    public static func of(scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// The number of columns `text` occupies.
    public static func of(_ text: String) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: String, fitting columns: Int) -> (text: Substring, width: Int) {
        var width = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if width + w > columns { break }
            width += w
            end = text.index(after: index)
        }
        return (text[text.startIndex..<end], width)
    }

    /// `text` cut to `columns`, ending in "…" when it was cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        return String(prefix(text, fitting: columns - 1).text) + "…"
    }

    // East Asian Wide and Fullwidth blocks, plus the emoji and symbol planes.
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
            0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD,
            0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
