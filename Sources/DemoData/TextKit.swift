/// Small English helpers for filling sentence templates.
enum TextKit {
    /// "a" or "an" followed by the phrase, chosen by the phrase's first letter.
    static func article(_ phrase: String) -> String {
        guard let first = phrase.unicodeScalars.first else { return phrase }
        let vowelSound: Bool
        switch first {
        case "a", "e", "i", "o", "A", "E", "I", "O": vowelSound = true
        case "u", "U":
            let lower = phrase.lowercased()
            vowelSound = !lower.hasPrefix("uni") && !lower.hasPrefix("use")
        case "h", "H": vowelSound = phrase.lowercased().hasPrefix("hour")
        default: vowelSound = false
        }
        return (vowelSound ? "an " : "a ") + phrase
    }

    /// The phrase with its first letter upper-cased.
    static func capitalized(_ phrase: String) -> String {
        guard let first = phrase.first else { return phrase }
        return first.uppercased() + phrase.dropFirst()
    }

    /// Every word's first letter upper-cased (words split on spaces; the rest left as is).
    static func titleCased(_ phrase: String) -> String {
        phrase.split(separator: " ", omittingEmptySubsequences: false)
            .map { capitalized(String($0)) }
            .joined(separator: " ")
    }

    /// The third-person singular present of a verb phrase given in its base form: only the
    /// first word changes ("track down" → "tracks down", "carry" → "carries").
    static func thirdPerson(_ verbPhrase: String) -> String {
        var words = verbPhrase.split(separator: " ").map(String.init)
        guard let verb = words.first else { return verbPhrase }
        let irregular = ["have": "has", "be": "is", "do": "does", "go": "goes"]
        if let form = irregular[verb] {
            words[0] = form
        } else if verb.hasSuffix("s") || verb.hasSuffix("sh") || verb.hasSuffix("ch") || verb.hasSuffix("x")
            || verb.hasSuffix("z") || verb.hasSuffix("o")
        {
            words[0] = verb + "es"
        } else if verb.hasSuffix("y"), let before = verb.dropLast().last, !"aeiou".contains(before) {
            words[0] = verb.dropLast() + "ies"
        } else {
            words[0] = verb + "s"
        }
        return words.joined(separator: " ")
    }

    /// Number of whitespace-separated words.
    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for byte in text.utf8 {
            let space = byte == 0x20 || byte == 0x0A || byte == 0x09
            if !space && !inWord { count += 1 }
            inWord = !space
        }
        return count
    }

    /// Number of words of the sentences together.
    static func wordCount(_ sentences: [String]) -> Int {
        sentences.reduce(0) { $0 + wordCount($1) }
    }

    /// Joins sentences into one paragraph.
    static func paragraph(_ sentences: [String]) -> String {
        sentences.joined(separator: " ")
    }
}
