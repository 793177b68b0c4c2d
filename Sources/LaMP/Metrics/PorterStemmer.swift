/// The Porter stemmer as NLTK 3.x implements it in its default `NLTK_EXTENSIONS` mode, which is
/// what `rouge_score`'s `use_stemmer=True` runs (it stems only tokens longer than 3 characters).
///
/// Port of `nltk/stem/porter.py` (M. F. Porter, "An algorithm for suffix stripping", 1980, plus
/// NLTK's departures: irregular forms, `ies`/`ied` on 4-letter words, the `y → i` condition, the
/// `alli`, `bli`, `fulli` and `logi` rules of step 2, and `cvc` on 2-letter stems). Works on the
/// lower-case ASCII tokens ROUGE produces; each step is a function of the word's bytes.
enum PorterStemmer {
    typealias Word = [UInt8]

    /// NLTK's irregular forms (`pool`): word → stem.
    private static let irregular: [String: String] = [
        "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
        "outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
        "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
    ]

    /// The stem of a lower-case word.
    static func stem(_ word: String) -> String {
        if let s = irregular[word] { return s }
        var w = Word(word.utf8)
        if w.count <= 2 { return word }
        w = step1a(w)
        w = step1b(w)
        w = step1c(w)
        w = step2(w)
        w = step3(w)
        w = step4(w)
        w = step5a(w)
        w = step5b(w)
        return String(decoding: w, as: UTF8.self)
    }

    // MARK: - Letters, measure and conditions

    private static func isVowelLetter(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i")
            || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }

    /// Consonant flag per letter: not a vowel, and a `y` only after a non-consonant (or first).
    private static func consonantFlags(_ w: Word) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for (i, c) in w.enumerated() {
            if isVowelLetter(c) {
                flags.append(false)
            } else if c == UInt8(ascii: "y") {
                flags.append(i == 0 ? true : !flags[i - 1])
            } else {
                flags.append(true)
            }
        }
        return flags
    }

    private static func isConsonant(_ w: Word, _ i: Int) -> Bool { consonantFlags(w)[i] }

    /// m in [C](VC)^m[V]: the number of vowel-to-consonant transitions.
    private static func measure(_ w: Word) -> Int {
        let flags = consonantFlags(w)
        var m = 0
        for i in flags.indices.dropFirst() where !flags[i - 1] && flags[i] { m += 1 }
        return m
    }

    private static func containsVowel(_ w: Word) -> Bool { consonantFlags(w).contains(false) }

    /// *d: ends with a double consonant.
    private static func endsDoubleConsonant(_ w: Word) -> Bool {
        w.count >= 2 && w[w.count - 1] == w[w.count - 2] && isConsonant(w, w.count - 1)
    }

    /// *o: ends consonant-vowel-consonant, the last not w, x or y (NLTK: or a 2-letter vc word).
    private static func endsCVC(_ w: Word) -> Bool {
        let n = w.count
        if n >= 3 {
            let f = consonantFlags(w)
            let last = w[n - 1]
            if f[n - 3] && !f[n - 2] && f[n - 1] && last != UInt8(ascii: "w") && last != UInt8(ascii: "x")
                && last != UInt8(ascii: "y")
            {
                return true
            }
        }
        if n == 2 {
            let f = consonantFlags(w)
            return !f[0] && f[1]
        }
        return false
    }

    private static func endsWith(_ w: Word, _ suffix: String) -> Bool {
        let s = Array(suffix.utf8)
        return w.count >= s.count && Array(w[(w.count - s.count)...]) == s
    }

    private static func dropping(_ w: Word, _ count: Int) -> Word { Array(w[..<(w.count - count)]) }

    /// A suffix rule: `suffix` → `replacement` when `condition(stem)` holds. The special suffix
    /// `*d` matches a double consonant (both letters removed from the stem).
    private struct Rule {
        let suffix: String
        let replacement: Word
        let condition: ((Word) -> Bool)?
        init(_ suffix: String, _ replacement: String, _ condition: ((Word) -> Bool)?) {
            self.suffix = suffix
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
        init(_ suffix: String, bytes replacement: Word, _ condition: ((Word) -> Bool)?) {
            self.suffix = suffix
            self.replacement = replacement
            self.condition = condition
        }
    }

    /// Applies the first rule whose suffix matches; if its condition fails the word is unchanged.
    private static func apply(_ w: Word, _ rules: [Rule]) -> Word {
        for rule in rules {
            if rule.suffix == "*d" && endsDoubleConsonant(w) {
                let stem = dropping(w, 2)
                return rule.condition?(stem) ?? true ? stem + rule.replacement : w
            }
            if endsWith(w, rule.suffix) {
                let stem = dropping(w, rule.suffix.utf8.count)
                return rule.condition?(stem) ?? true ? stem + rule.replacement : w
            }
        }
        return w
    }

    private static func positive(_ stem: Word) -> Bool { measure(stem) > 0 }
    private static func aboveOne(_ stem: Word) -> Bool { measure(stem) > 1 }

    // MARK: - Steps

    private static func step1a(_ w: Word) -> Word {
        if endsWith(w, "ies") && w.count == 4 { return dropping(w, 3) + Array("ie".utf8) }
        return apply(w, [Rule("sses", "ss", nil), Rule("ies", "i", nil), Rule("ss", "ss", nil), Rule("s", "", nil)])
    }

    private static func step1b(_ w: Word) -> Word {
        if endsWith(w, "ied") {
            return dropping(w, 3) + Array((w.count == 4 ? "ie" : "i").utf8)
        }
        if endsWith(w, "eed") {
            let stem = dropping(w, 3)
            return measure(stem) > 0 ? stem + Array("ee".utf8) : w
        }
        var intermediate: Word? = nil
        for suffix in ["ed", "ing"] where endsWith(w, suffix) {
            let stem = dropping(w, suffix.utf8.count)
            if containsVowel(stem) {
                intermediate = stem
                break
            }
        }
        guard let stem = intermediate else { return w }
        let last = stem.last ?? 0
        return apply(
            stem,
            [
                Rule("at", "ate", nil), Rule("bl", "ble", nil), Rule("iz", "ize", nil),
                Rule("*d", bytes: [last]) { _ in
                    last != UInt8(ascii: "l") && last != UInt8(ascii: "s") && last != UInt8(ascii: "z")
                },
                Rule("", "e") { measure($0) == 1 && endsCVC($0) },
            ])
    }

    private static func step1c(_ w: Word) -> Word {
        apply(w, [Rule("y", "i") { $0.count > 1 && isConsonant($0, $0.count - 1) }])
    }

    private static func step2(_ w: Word) -> Word {
        if endsWith(w, "alli") && positive(dropping(w, 4)) {
            return step2(dropping(w, 4) + Array("al".utf8))
        }
        let whole = w
        return apply(
            w,
            [
                Rule("ational", "ate", positive), Rule("tional", "tion", positive),
                Rule("enci", "ence", positive), Rule("anci", "ance", positive),
                Rule("izer", "ize", positive), Rule("bli", "ble", positive),
                Rule("alli", "al", positive), Rule("entli", "ent", positive),
                Rule("eli", "e", positive), Rule("ousli", "ous", positive),
                Rule("ization", "ize", positive), Rule("ation", "ate", positive),
                Rule("ator", "ate", positive), Rule("alism", "al", positive),
                Rule("iveness", "ive", positive), Rule("fulness", "ful", positive),
                Rule("ousness", "ous", positive), Rule("aliti", "al", positive),
                Rule("iviti", "ive", positive), Rule("biliti", "ble", positive),
                Rule("fulli", "ful", positive),
                Rule("logi", "log") { _ in positive(dropping(whole, 3)) },
            ])
    }

    private static func step3(_ w: Word) -> Word {
        apply(
            w,
            [
                Rule("icate", "ic", positive), Rule("ative", "", positive), Rule("alize", "al", positive),
                Rule("iciti", "ic", positive), Rule("ical", "ic", positive), Rule("ful", "", positive),
                Rule("ness", "", positive),
            ])
    }

    private static func step4(_ w: Word) -> Word {
        apply(
            w,
            [
                Rule("al", "", aboveOne), Rule("ance", "", aboveOne), Rule("ence", "", aboveOne),
                Rule("er", "", aboveOne), Rule("ic", "", aboveOne), Rule("able", "", aboveOne),
                Rule("ible", "", aboveOne), Rule("ant", "", aboveOne), Rule("ement", "", aboveOne),
                Rule("ment", "", aboveOne), Rule("ent", "", aboveOne),
                Rule("ion", "") { s in
                    measure(s) > 1 && (s.last == UInt8(ascii: "s") || s.last == UInt8(ascii: "t"))
                },
                Rule("ou", "", aboveOne), Rule("ism", "", aboveOne), Rule("ate", "", aboveOne),
                Rule("iti", "", aboveOne), Rule("ous", "", aboveOne), Rule("ive", "", aboveOne),
                Rule("ize", "", aboveOne),
            ])
    }

    private static func step5a(_ w: Word) -> Word {
        guard endsWith(w, "e") else { return w }
        let stem = dropping(w, 1)
        let m = measure(stem)
        if m > 1 || (m == 1 && !endsCVC(stem)) { return stem }
        return w
    }

    private static func step5b(_ w: Word) -> Word {
        apply(w, [Rule("ll", "l") { _ in measure(dropping(w, 1)) > 1 }])
    }
}
