import Foundation

/// Maps a free-text answer to one of the allowed options, and turns a single pick into a
/// log-probability vector.
public enum OptionMatching {
    /// The probability mass given to each option that was NOT picked in a one-hot-ish vector.
    public static let epsilon = 1e-4

    /// The index of the option nearest to `text`, or `nil` if nothing relates them.
    ///
    /// Rules, in order: (1) equal after trimming whitespace, quotes and trailing punctuation and
    /// lowercasing; (2) containment: the longest option found inside the text, else the shortest
    /// option containing the text; (3) the most shared word tokens (letters/digits), ties to the
    /// earlier option.
    public static func nearestOption(to text: String, options: [String]) -> Int? {
        let answer = normalize(text)
        let normalized = options.map(normalize)
        if let exact = normalized.firstIndex(of: answer) { return exact }
        guard !answer.isEmpty else { return nil }

        var best: (index: Int, length: Int)?
        for (index, option) in normalized.enumerated() where !option.isEmpty && answer.contains(option) {
            if best == nil || option.count > best!.length { best = (index, option.count) }
        }
        if let best { return best.index }
        var shortest: (index: Int, length: Int)?
        for (index, option) in normalized.enumerated() where option.contains(answer) {
            if shortest == nil || option.count < shortest!.length { shortest = (index, option.count) }
        }
        if let shortest { return shortest.index }

        let answerTokens = Set(tokens(answer))
        var overlap: (index: Int, count: Int)?
        for (index, option) in normalized.enumerated() {
            let count = Set(tokens(option)).intersection(answerTokens).count
            if count > 0, overlap == nil || count > overlap!.count { overlap = (index, count) }
        }
        return overlap?.index
    }

    /// Log-probabilities for `count` options when only a pick is known.
    ///
    /// The picked option gets `log(1 - (count - 1) * epsilon)` and every other `log(epsilon)`, so the
    /// vector is a proper (if very peaked) distribution with finite entries. With no pick every
    /// option gets `log(1 / count)`. (For more than 5000 options epsilon shrinks to `0.5 / (count - 1)`.)
    public static func oneHotLogProbabilities(picked: Int?, count: Int) -> [Double] {
        guard count > 0 else { return [] }
        guard let picked, picked >= 0, picked < count else {
            return Array(repeating: -log(Double(count)), count: count)
        }
        // Shrink epsilon for huge option lists so the picked mass stays at least 1/2.
        let eps = min(epsilon, 0.5 / Double(max(1, count - 1)))
        var result = Array(repeating: log(eps), count: count)
        result[picked] = log(1 - Double(count - 1) * eps)
        return result
    }

    static func normalize(_ text: String) -> String {
        let trimSet = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'`.,;:!?"))
        return text.trimmingCharacters(in: trimSet).lowercased()
    }

    static func tokens(_ text: String) -> [Substring] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }
}
