import Foundation

/// The part of each question's input that differs between questions: the inputs without the
/// template's shared prefix and suffix ("Which tag does this movie relate to … description: ").
enum QuestionContent {
    /// Each input without the longest prefix and suffix every input shares, both cut back to a
    /// word boundary so no word is split. A single input, or one that would be left empty, is
    /// kept whole: there is nothing to tell the template from the content by.
    static func extract(_ inputs: [String]) -> [String] {
        guard inputs.count > 1 else { return inputs }
        let characters = inputs.map(Array.init)
        var prefix = characters[0].count
        var suffix = characters[0].count
        for text in characters.dropFirst() {
            prefix = commonLength(characters[0], text, limit: prefix, fromEnd: false)
            suffix = commonLength(characters[0], text, limit: suffix, fromEnd: true)
        }
        // back to the last whitespace inside the shared prefix, the first inside the shared suffix
        let first = characters[0]
        while prefix > 0, !first[prefix - 1].isWhitespace { prefix -= 1 }
        while suffix > 0, !first[first.count - suffix].isWhitespace { suffix -= 1 }
        return zip(inputs, characters).map { input, text in
            guard prefix + suffix < text.count else { return input }
            let middle = String(text[prefix..<(text.count - suffix)]).trimmingCharacters(in: .whitespacesAndNewlines)
            return middle.isEmpty ? input : middle
        }
    }

    private static func commonLength(_ a: [Character], _ b: [Character], limit: Int, fromEnd: Bool) -> Int {
        let bound = min(limit, a.count, b.count)
        var n = 0
        while n < bound {
            let (x, y) = fromEnd ? (a[a.count - 1 - n], b[b.count - 1 - n]) : (a[n], b[n])
            if x != y { break }
            n += 1
        }
        return n
    }
}
