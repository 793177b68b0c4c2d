/// Word wrapping by display width (CJK and emoji count two columns).
public enum TextWrap {
    /// Splits `text` into lines of at most `width` columns, breaking at spaces and, for words
    /// longer than a line, inside the word. Newlines in `text` start new lines.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ") {
                var rest = String(word)
                var restWidth = DisplayWidth.of(rest)
                if lineWidth > 0, lineWidth + 1 + restWidth <= width {
                    line += " " + rest
                    lineWidth += 1 + restWidth
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while restWidth > width {
                    let (head, headWidth) = DisplayWidth.prefix(rest, fitting: width)
                    if headWidth == 0 { break }
                    lines.append(String(head))
                    rest = String(rest[head.endIndex...])
                    restWidth -= headWidth
                }
                line = rest
                lineWidth = restWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// Splits a line into spans, marking words whose normalised form is one of `terms`.
    ///
    /// A word matches a term when its lower-cased letters and digits equal the term, or start
    /// with it when the term has four or more characters (so stemmed terms like "retriev"
    /// still mark "retrieval").
    public static func highlight(_ line: String, terms: Set<String>, base: StyleRole = .normal) -> [Span] {
        guard !terms.isEmpty else { return [Span(line, base)] }
        var spans: [Span] = []
        var plain = ""
        var word = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            let key = String(word.lowercased().filter { $0.isLetter || $0.isNumber })
            let hit = !key.isEmpty && (terms.contains(key) || terms.contains { $0.count >= 4 && key.hasPrefix($0) })
            if hit {
                if !plain.isEmpty { spans.append(Span(plain, base)); plain = "" }
                spans.append(Span(word, .highlight))
            } else {
                plain += word
            }
            word = ""
        }
        for character in line {
            if character.isLetter || character.isNumber || character == "'" {
                word.append(character)
            } else {
                flushWord()
                plain.append(character)
            }
        }
        flushWord()
        if !plain.isEmpty { spans.append(Span(plain, base)) }
        return spans
    }
}
