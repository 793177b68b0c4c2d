import Foundation
import WorkbenchAPI

/// `hydra inspect`'s human output: aligned tables of a question report and of a counterfactual.
enum QuestionReportText {
    /// Items whose BM25 terms are listed (the top of the BM25 ranking).
    static let itemsWithTerms = 3

    static func report(_ report: QuestionReport) -> String {
        var out: [String] = []
        let direction = report.higherIsBetter ? "higher is better" : "lower is better"
        out.append("question \(report.questionID) · user \(report.userID) · \(report.metric) (\(direction))")
        if !report.hasPersonalHeads {
            out.append("this user has no head of their own: only the base (shared base + global head) is shown")
        }
        out.append("input: \(snippet(report.input, 160))")
        out.append("gold:  \(report.gold)")
        out.append("")
        out.append(rankings(report))
        out.append("")
        out.append(terms(report))
        if !report.agreement.isEmpty {
            out.append("")
            out.append(agreement(report))
        }
        if !report.candidates.isEmpty {
            out.append("")
            out.append(candidates(report))
        }
        out.append("")
        out.append(outputs(report))
        return out.joined(separator: "\n")
    }

    /// The BM25 top-k under the three rankings; shifts are against BM25 (base, personal) and
    /// against the base (personal). `*` marks the items in the prompt.
    private static func rankings(_ report: QuestionReport) -> String {
        let personal = report.hasPersonalHeads
        var header = ["bm25", "score", "base", "p(base)", "vs bm25"]
        if personal { header += ["pers", "p(pers)", "vs bm25", "vs base"] }
        header += ["cos", "label", "item", "prompt"]
        var table = TextTable(header: header, rightAligned: Set(0..<(header.count - 2)))
        for item in report.items.sorted(by: { $0.bm25Rank < $1.bm25Rank }) {
            var row = [
                "\(item.bm25Rank)", number(item.bm25Score), item.baseRank.map(String.init) ?? "-", number(item.baseScore),
                shift(from: item.bm25Rank, to: item.baseRank),
            ]
            if personal {
                row += [
                    item.personalRank.map(String.init) ?? "-", number(item.personalScore),
                    shift(from: item.bm25Rank, to: item.personalRank), shift(from: item.baseRank, to: item.personalRank),
                ]
            }
            let prompts = [item.inBasePrompt ? "base" : nil, item.inPersonalPrompt ? "hydra" : nil].compactMap { $0 }
            row += [number(item.denseCosine), item.trainingLabel.map(String.init) ?? "-", item.itemID, prompts.joined(separator: ",")]
            table.rows.append(row)
        }
        return "rankings (prompt: the items each prompt holds)\n" + table.render()
    }

    private static func terms(_ report: QuestionReport) -> String {
        var out = ["BM25 terms of the top \(min(itemsWithTerms, report.items.count)) items"]
        for item in report.items.sorted(by: { $0.bm25Rank < $1.bm25Rank }).prefix(itemsWithTerms) {
            let length = item.terms.first.map { " · |D| \($0.documentLength), avgdl \(String(format: "%.2f", $0.averageLength))" } ?? ""
            out.append("item \(item.itemID) · score \(number(item.bm25Score))\(length)")
            guard !item.terms.isEmpty else {
                out.append("  (no query term in the item)")
                continue
            }
            var table = TextTable(header: ["term", "tf", "idf", "contribution"], rightAligned: [1, 2, 3])
            for term in item.terms.sorted(by: { $0.contribution > $1.contribution }) {
                table.rows.append([term.term, "\(term.termFrequency)", number(term.idf), number(term.contribution)])
            }
            out.append(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        return out.joined(separator: "\n")
    }

    private static func agreement(_ report: QuestionReport) -> String {
        var table = TextTable(header: ["rankings", "τ-b", "RBO", "user τ-b", "user RBO"], rightAligned: [1, 2, 3, 4])
        for figure in report.agreement {
            let mean = report.userAgreement.first { $0.first == figure.first && $0.second == figure.second }
            table.rows.append([
                "\(figure.first) vs \(figure.second)", number(figure.kendallTau), number(figure.rbo),
                number(mean?.kendallTau), number(mean?.rbo),
            ])
        }
        return "agreement (this question; user: mean over the user's questions; RBO p = 0.9)\n" + table.render()
    }

    private static func candidates(_ report: QuestionReport) -> String {
        var header = ["candidate", "p(base)"]
        if report.hasPersonalHeads { header.append("p(pers)") }
        header += [report.metric, "picked by"]
        var table = TextTable(header: header, rightAligned: Set(1..<(header.count - 1)))
        for candidate in report.candidates {
            var row = [snippet(candidate.text, 60), number(candidate.baseScore)]
            if report.hasPersonalHeads { row.append(number(candidate.personalScore)) }
            let picks = [
                candidate.text == report.basePick ? "base" : nil,
                report.hasPersonalHeads && candidate.text == report.personalPick ? "personal" : nil,
            ].compactMap { $0 }
            row += [number(candidate.metric), picks.joined(separator: ", ")]
            table.rows.append(row)
        }
        var out = "candidates of the personalized prompt\n" + table.render()
        out += "\nbase pick \(report.basePick) (\(report.metric) \(number(report.baseMetric)))"
        if report.hasPersonalHeads { out += " · personal pick \(report.personalPick) (\(report.metric) \(number(report.personalMetric)))" }
        return out
    }

    private static func outputs(_ report: QuestionReport) -> String {
        var table = TextTable(header: ["method", "items", report.metric, "answer"], rightAligned: [2])
        for output in report.outputs {
            table.rows.append([
                output.method, output.itemIDs.isEmpty ? "-" : output.itemIDs.joined(separator: ","), number(output.metric),
                snippet(output.answer, 70),
            ])
        }
        return "outputs\n" + table.render()
    }

    static func counterfactual(_ report: CounterfactualReport) -> String {
        var out = ["\(report.kind.rawValue) on item \(report.itemID) of question \(report.questionID) · LLM calls \(report.llmCalls)"]
        var table = TextTable(header: ["", "answer", "metric"], rightAligned: [2])
        table.rows.append(["before", snippet(report.before, 70), number(report.metricBefore)])
        table.rows.append(["after", snippet(report.after, 70), number(report.metricAfter)])
        out.append(table.render())
        if !report.candidatesAfter.isEmpty {
            var candidates = TextTable(header: ["candidate after", "p(base)", "p(pers)", "metric"], rightAligned: [1, 2, 3])
            for candidate in report.candidatesAfter {
                candidates.rows.append([
                    snippet(candidate.text, 60), number(candidate.baseScore), number(candidate.personalScore), number(candidate.metric),
                ])
            }
            out.append("")
            out.append(candidates.render())
        }
        return out.joined(separator: "\n")
    }

    /// `↑2` when the item rose two places from `from` to `to`, `↓1` when it fell, `=` when it stayed.
    private static func shift(from: Int?, to: Int?) -> String {
        guard let from, let to else { return "-" }
        if to < from { return "↑\(from - to)" }
        if to > from { return "↓\(to - from)" }
        return "="
    }

    private static func number(_ value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? "-"
    }

    private static func snippet(_ text: String, _ length: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > length ? String(line.prefix(length - 1)) + "…" : line
    }
}
