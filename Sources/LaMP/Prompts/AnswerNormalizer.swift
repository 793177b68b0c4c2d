import Foundation

/// Turns what a chat LLM writes into the answer a LaMP task asks for, the same way for every
/// method so comparisons stay fair.
///
/// A small instruction-tuned model rarely answers with the headline alone; it writes
/// `The title for the article is: "…"`, `Title: …`, `Sure! Here's a headline:` on one line and
/// the headline on the next, or echoes the prompt's own pattern (`"…" is the title for "…`).
/// ROUGE then scores the framing, not the answer. For generation tasks the rules, in order:
///
/// 1. **Lines.** Each line is cleaned by the rules below; the answer is the first line that is
///    not empty after cleaning (so a framing line of its own is skipped).
/// 2. **Courtesy.** A leading `Sure!`, `Certainly,`, `Of course.`, `Okay,` and a leading
///    `Here is …:` / `Here's …:` are removed, and a line that is only a salutation (`Hi all,`,
///    `Dear maintainers,`: what a model writes first when the input is an email) is dropped.
/// 3. **Label.** A label naming the answer, with a colon or before a quote, is removed with
///    everything before it: `Title:`, `Headline:`, `Subject line:`, `The title for the article
///    is:`, `This is a summary of the article. The headline is: "…`. A label needs the colon or
///    the quote: `Why the title is worth it` is left alone.
/// 4. **Quoted span.** When what is left starts with a quoted span of three words or more (`"`,
///    `“`, `'`), the answer is that span; a quote later in the line, or a short one at its start,
///    is the answer's own (`Mayor calls plan "reckless"`, `'Reckless' plan delayed` stay).
/// 5. **Template echo.** The text from the prompt template's own phrase on (` is the title for `,
///    ` is a title for `) is cut; when what is left ends in a quoted span, that span is the
///    answer (`The "net: fix leak" is the title for "Hi …` → `net: fix leak`).
/// 6. **First sentence.** A line of several sentences keeps its first: the text up to a `.`, `!`
///    or `?` followed by a space and a capital letter, unless the word before the period is a
///    title or abbreviation (`Dr.`, `Mr.`, `St.`, `U.S.`, a single letter). A headline is one
///    sentence; the model's second one is commentary or the article's next line.
/// 7. **Trim.** Surrounding whitespace, and quotes at either end without a partner, are trimmed.
///
/// An answer that is empty after cleaning stays empty (the raw text is kept beside it by the
/// caller, and the run counts such answers). Classification and rating tasks answer by
/// constrained choice, which already yields a label, so their text passes through trimmed.
/// `AnswerNormalizer(task:, enabled: false)` only trims whitespace, for strict comparison with
/// the reference code, which scores the raw text.
public struct AnswerNormalizer: Sendable {
    public let task: LaMPTask
    public let enabled: Bool

    public init(task: LaMPTask, enabled: Bool = true) {
        self.task = task
        self.enabled = enabled
    }

    /// The answer in `raw`.
    public func normalize(_ raw: String) -> String {
        guard enabled, task.family == .generation else { return PythonText.strip(raw) }
        for line in raw.split(whereSeparator: \.isNewline) {
            let cleaned = Self.cleanLine(String(line))
            if !cleaned.isEmpty { return cleaned }
        }
        return ""
    }

    static func cleanLine(_ line: String) -> String {
        var text = PythonText.strip(line)
        if matchesWhole(salutation, text) { return "" }
        text = removing(courtesy, from: text)
        text = removing(hereIs, from: text)
        if let label = lastMatch(label, in: text) { text = String(text[label.upperBound...]) }
        text = PythonText.strip(text)
        if let quoted = leadingQuotedSpan(text), quoted.split(whereSeparator: \.isWhitespace).count >= 3 { text = quoted }
        for echo in templateEchoes {
            guard let range = text.range(of: echo, options: .caseInsensitive) else { continue }
            text = String(text[..<range.lowerBound])
            if let quoted = trailingQuotedSpan(text) { text = quoted }
        }
        return trimQuotes(PythonText.strip(firstSentence(text)))
    }

    private static let abbreviations: Set<String> = ["dr", "mr", "mrs", "ms", "st", "vs", "jr", "sr", "prof", "gen", "gov", "inc", "co", "no", "e.g", "i.e", "u.s", "u.k"]

    /// `text` up to the end of its first sentence (the whole text when it has one).
    static func firstSentence(_ text: String) -> String {
        let chars = Array(text)
        var i = 0
        while i + 2 < chars.count {
            let c = chars[i]
            if (c == "." || c == "!" || c == "?") && chars[i + 1] == " " && chars[i + 2].isUppercase {
                var start = i
                while start > 0 && !chars[start - 1].isWhitespace { start -= 1 }
                let word = String(chars[start..<i]).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\"'(“‘"))
                let isAbbreviation = c == "." && (abbreviations.contains(word) || word.count == 1)
                if !isAbbreviation { return String(chars[...i]) }
            }
            i += 1
        }
        return text
    }

    private static let quotes: Set<Character> = ["\"", "'", "“", "”", "‘", "’", "«", "»"]
    private static let closing: [Character: Character] = ["\"": "\"", "'": "'", "“": "”", "‘": "’", "«": "»"]

    private static let courtesy = regex(#"^(?:sure|certainly|of course|okay|ok|absolutely)\b[!.,:]*\s*"#)
    private static let salutation = regex(#"^(?:hi|hello|hey|dear|greetings)\b[^,.!:\n]{0,30}[,!:]$"#)
    private static let hereIs = regex(#"^here(?:'s|’s| is| are)\b[^:\n]*:\s*"#)
    /// `[The] [new|suggested|…] title|headline|subject [line] [for|of the article] (is|would be) (:|before a quote)`,
    /// or the noun straight before a colon.
    private static let label = regex(
        #"(?:\bthe\s+)?(?:(?:new|suggested|generated|possible|proposed|final)\s+)?\b(?:title|headline|subject(?:\s+line)?|paraphrase)\b(?:\s+(?:for|of)\s+(?:the|this|your)\s+\w+)?(?:\s*:|\s+(?:is|would be|could be)\s*(?::|(?=["“'])))\s*"#)
    private static let templateEchoes = [" is the title for ", " is a title for ", "\" is the title for", "\" is a title for"]

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // the patterns are constants of this file; a bad one is a programming error caught by the tests
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    private static func removing(_ pattern: NSRegularExpression, from text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range), let r = Range(match.range, in: text) else { return text }
        return String(text[r.upperBound...])
    }

    private static func matchesWhole(_ pattern: NSRegularExpression, _ text: String) -> Bool {
        pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The text inside a quote pair that closes `text` (`The "X"` → `X`), if any.
    private static func trailingQuotedSpan(_ text: String) -> String? {
        let trimmed = PythonText.strip(text)
        guard let close = trimmed.last, close == "\"" || close == "”" else { return nil }
        let body = trimmed.dropLast()
        guard let open = body.lastIndex(where: { $0 == "\"" || $0 == "“" }) else { return nil }
        let span = String(body[body.index(after: open)...])
        return span.isEmpty ? nil : span
    }

    private static func lastMatch(_ pattern: NSRegularExpression, in text: String) -> Range<String.Index>? {
        let range = NSRange(text.startIndex..., in: text)
        // the first label wins: a second "title:" would belong to the answer itself
        guard let match = pattern.firstMatch(in: text, range: range) else { return nil }
        return Range(match.range, in: text)
    }

    /// The text inside a quote that opens `text`, up to its closing quote (to the end when the
    /// quote is never closed).
    private static func leadingQuotedSpan(_ text: String) -> String? {
        guard let open = text.first, let close = closing[open] else { return nil }
        let rest = text.dropFirst()
        guard let end = rest.firstIndex(where: { $0 == close || (open == "\"" && $0 == "”") }) else { return String(rest) }
        return String(rest[..<end])
    }

    /// Drops quotes at either end that have no partner inside (`"Foo bar` → `Foo bar`), so an
    /// answer's own quoted words (`Mayor calls plan "reckless"`) keep theirs.
    private static func trimQuotes(_ text: String) -> String {
        var t = Substring(text)
        func unpaired(_ quote: Character, in s: Substring) -> Bool {
            switch quote {
            case "“", "‘", "«": return !s.dropFirst().contains(closing[quote] ?? quote)
            case "”", "’", "»":
                let opener = closing.first { $0.value == quote }?.key ?? quote
                return !s.dropLast().contains(opener)
            default: return s.filter { $0 == quote }.count % 2 == 1
            }
        }
        while let first = t.first, quotes.contains(first), unpaired(first, in: t) { t = t.dropFirst() }
        while let last = t.last, quotes.contains(last), unpaired(last, in: t) { t = t.dropLast() }
        return PythonText.strip(String(t))
    }
}
