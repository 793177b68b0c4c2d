/// Python's string primitives that LaMP's reference code relies on, on Unicode scalars (Python
/// strings are sequences of code points, so `find`, `strip` and `split` work per scalar).
public enum PythonText {
    /// Python's `str.isspace()` for one code point: ASCII whitespace, the information separators
    /// U+001C…U+001F, U+0085, and the Unicode space and line separators.
    public static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python's `text.split()`: the runs of non-whitespace, in order.
    public static func split(_ text: String) -> [String] {
        tokenRanges(text).map { String(text.unicodeScalars[$0]) }
    }

    /// The scalar ranges of the tokens `split` returns.
    public static func tokenRanges(_ text: String) -> [Range<String.UnicodeScalarView.Index>] {
        let scalars = text.unicodeScalars
        var ranges: [Range<String.UnicodeScalarView.Index>] = []
        var i = scalars.startIndex
        while i < scalars.endIndex {
            while i < scalars.endIndex, isSpace(scalars[i]) { i = scalars.index(after: i) }
            guard i < scalars.endIndex else { break }
            let start = i
            while i < scalars.endIndex, !isSpace(scalars[i]) { i = scalars.index(after: i) }
            ranges.append(start..<i)
        }
        return ranges
    }

    /// Python's `text.strip()`.
    public static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// Python's `text.find(needle)`: the index of the first occurrence, compared code point by
    /// code point (no Unicode normalization), or nil.
    public static func find(_ needle: String, in text: String) -> String.UnicodeScalarView.Index? {
        let hay = text.unicodeScalars
        let pattern = Array(needle.unicodeScalars)
        guard let head = pattern.first else { return hay.startIndex }
        var i = hay.startIndex
        while i < hay.endIndex {
            if hay[i] == head {
                var j = i
                var k = 0
                while k < pattern.count, j < hay.endIndex, hay[j] == pattern[k] {
                    j = hay.index(after: j)
                    k += 1
                }
                if k == pattern.count { return i }
            }
            i = hay.index(after: i)
        }
        return nil
    }

    /// `text[find(marker) + len(marker):].strip()`, or nil when `marker` does not occur.
    public static func stripped(after marker: String, in text: String) -> String? {
        guard let at = find(marker, in: text) else { return nil }
        let scalars = text.unicodeScalars
        let rest = scalars.index(at, offsetBy: marker.unicodeScalars.count)
        return strip(String(scalars[rest...]))
    }
}
