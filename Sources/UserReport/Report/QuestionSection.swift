import Foundation
import WorkbenchAPI

/// One question of the report: input, gold, the three rankings side by side, the candidates
/// under both adapter heads, and every method's answer.
struct QuestionSection {
    let question: QuestionReport
    /// The user's history, to show a retrieved item's text beside its id.
    let profile: [ProfileEntry]

    private static let inputLimit = 400

    func render() -> String {
        var lines = [
            "## Question \(Markdown.text(question.questionID))", "",
            "**Input:** \(Markdown.text(question.input, limit: Self.inputLimit))", "",
            "**Gold:** \(Markdown.text(question.gold))",
        ]
        if !question.hasPersonalHeads {
            lines += ["", "The user has no personal heads: only the base (shared base + global head) is shown."]
        }
        lines += ["", "### Retrieved items", "", rankings()]
        lines += ["", "### Candidates", "", candidates()]
        lines += ["", "### Answers", "", answers()]
        return lines.joined(separator: "\n")
    }

    /// BM25, base and personal rank of each retrieved item in BM25 order, and which prompts it went into.
    private func rankings() -> String {
        guard !question.items.isEmpty else { return "Nothing was retrieved for this question." }
        let text = Dictionary(profile.map { ($0.id, $0.fields) }, uniquingKeysWith: { first, _ in first })
        let rows = question.items.sorted { $0.bm25Rank < $1.bm25Rank }.map { item -> [String] in
            let prompts = [item.inBasePrompt ? "base" : nil, item.inPersonalPrompt ? "personal" : nil].compactMap { $0 }
            return [
                Markdown.text(item.itemID), Markdown.text(Self.itemText(text[item.itemID]), limit: 60),
                String(item.bm25Rank), item.baseRank.map(String.init) ?? "–", item.personalRank.map(String.init) ?? "–",
                Markdown.number(item.bm25Score, decimals: 2), Markdown.number(item.baseScore),
                Markdown.number(item.personalScore),
                prompts.isEmpty ? "" : "**" + prompts.joined(separator: ", ") + "**",
                item.trainingLabel.map(String.init) ?? "",
            ]
        }
        return "Ranks are 1-based; P(useful) under the global head (base) and the user's head (personal).\n\n"
            + Markdown.table(
                [
                    "item", "text", "BM25 rank", "base rank", "personal rank", "BM25 score", "base P", "personal P",
                    "in prompt", "label",
                ],
                rows, alignRight: [2, 3, 4, 5, 6, 7])
    }

    private func candidates() -> String {
        guard !question.candidates.isEmpty else { return "No candidates were sampled for this question." }
        let rows = question.candidates.enumerated().map { index, candidate -> [String] in
            let picks = [
                candidate.text == question.basePick ? "base" : nil,
                candidate.text == question.personalPick ? "personal" : nil,
            ].compactMap { $0 }
            return [
                String(index + 1), Markdown.text(candidate.text, limit: 120), Markdown.number(candidate.baseScore),
                Markdown.number(candidate.personalScore), Markdown.number(candidate.metric),
                picks.isEmpty ? "" : "**" + picks.joined(separator: ", ") + "**",
            ]
        }
        return Markdown.table(
            ["#", "candidate", "global head", "user's head", Markdown.text(question.metric), "picked by"], rows,
            alignRight: [0, 2, 3, 4])
            + "\n\nBase pick: \(Markdown.text(question.basePick, limit: 120)) (\(Markdown.number(question.baseMetric))) · "
            + "personal pick: \(Markdown.text(question.personalPick, limit: 120)) (\(Markdown.number(question.personalMetric)))"
    }

    private func answers() -> String {
        guard !question.outputs.isEmpty else { return "No method has answered this question yet." }
        let rows = question.outputs.map {
            [
                Markdown.text($0.method), Markdown.text($0.answer, limit: 160), Markdown.number($0.metric),
                Markdown.text($0.itemIDs.joined(separator: ", "), limit: 80),
            ]
        }
        let direction = question.higherIsBetter ? "higher is better" : "lower is better"
        return Markdown.table(
            ["method", "answer", "\(Markdown.text(question.metric)) (\(direction))", "items in the prompt"], rows,
            alignRight: [2])
    }

    /// An item's fields as one line, the longest (the text) last.
    private static func itemText(_ fields: [String: String]?) -> String {
        guard let fields else { return "" }
        return fields.filter { $0.key != "id" }.sorted { ($0.value.count, $0.key) < ($1.value.count, $1.key) }
            .map(\.value).joined(separator: " · ")
    }
}
