import Foundation
import WorkbenchAPI

/// The report's Markdown, section by section. `charts` names the SVG files written beside it;
/// a section links a chart only when its file is among them.
struct ReportMarkdown {
    let data: UserReportData
    let charts: Set<String>

    /// Items of the history listed as the most recent.
    private static let recentItems = 5
    /// Labels of the answer-field distribution listed.
    private static let topLabels = 8
    /// Characters of a 100% bar in the answer-field histogram.
    private static let barWidth = 20.0
    /// Rows of each "what moves most" table.
    private static let topMoves = 8

    /// How the Markdown begins: the writer replaces only a file that begins so.
    static let titlePrefix = "# Report for user "

    func render() -> String {
        var sections = [header(), history(), head(), headMaps(), preference(), moves()]
        sections += data.questions.map { QuestionSection(question: $0, profile: data.user.profile).render() }
        if data.questions.isEmpty {
            sections.append("## Questions\n\n\(Markdown.text(data.user.id)) has no questions.")
        }
        sections += [losses(), coldStart()]
        return sections.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Sections

    private func header() -> String {
        let task = data.task
        return """
            \(Self.titlePrefix)\(Markdown.text(data.user.id))

            Session **\(Markdown.text(data.session))** · task **\(Markdown.text(task.name))** \
            (\(Markdown.text(task.family)); primary metric \(Markdown.text(task.primaryMetric)), \
            \(task.higherIsBetter ? "higher" : "lower") is better) · \(data.user.role.rawValue) user · \
            \(data.questions.count) question\(data.questions.count == 1 ? "" : "s")
            """
    }

    private func history() -> String {
        let profile = data.user.profile
        var lines = ["## History", "", "\(profile.count) item\(profile.count == 1 ? "" : "s") in the profile."]
        if let field = data.task.answerField, !profile.isEmpty {
            lines += ["", answerDistribution(field: field)]
        }
        if !profile.isEmpty {
            let recent = Array(profile.suffix(Self.recentItems).reversed())
            let fields =
                data.task.profileFields.isEmpty
                ? Array(Set(profile.flatMap(\.fields.keys))).sorted() : data.task.profileFields
            lines += [
                "", "The \(recent.count) most recent (the last in the history's order), newest first:", "",
                Markdown.table(
                    ["item"] + fields.map(Markdown.text),
                    recent.map { item in [Markdown.text(item.id)] + fields.map { Markdown.text(item[$0], limit: 90) } }),
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// Classification: the most frequent labels; rating: every score; generation: mean length.
    private func answerDistribution(field: String) -> String {
        let values = data.user.profile.map { Sanitize.stripControls($0[field]).trimmingCharacters(in: .whitespaces) }
        let name = Markdown.text(field)
        if data.task.family == "generation" {
            let words = values.map { $0.split(whereSeparator: \.isWhitespace).count }
            let mean = Double(words.reduce(0, +)) / Double(max(words.count, 1))
            return "Mean length of the items' \(name): \(Markdown.number(mean, decimals: 1)) words."
        }
        var counts: [String: Int] = [:]
        for value in values { counts[value.isEmpty ? "(empty)" : value, default: 0] += 1 }
        let ordered: [(String, Int)]
        if data.task.family == "rating" {
            ordered = counts.sorted { (Double($0.key) ?? .infinity, $0.key) < (Double($1.key) ?? .infinity, $1.key) }
        } else {
            ordered = Array(counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(Self.topLabels))
        }
        let total = Double(values.count)
        let rows = ordered.map { value, count in
            let share = Double(count) / total
            return [
                Markdown.text(value), String(count), Markdown.number(share * 100, decimals: 0) + "%",
                String(repeating: "█", count: Int((share * Self.barWidth).rounded())),
            ]
        }
        let heading =
            data.task.family == "rating" ? "Scores in the history" : "Most frequent \(name) values in the history"
        return heading + ":\n\n" + Markdown.table([name, "items", "share", ""], rows, alignRight: [1, 2])
    }

    private func head() -> String {
        guard let head = data.head else {
            return "## Heads\n\n\(Markdown.text(data.user.id)) has no heads of their own yet (no run, or not fitted)."
        }
        let rows = HeadScorer.allCases.map { scorer -> [String] in
            guard let stats = head.stats(scorer) else { return [scorer.rawValue, "–", "–", "–", "–", "–", "–"] }
            return [
                scorer.rawValue, stats.fitExamples.map(String.init) ?? "–", Markdown.number(stats.finalLoss),
                Markdown.number(stats.denseNorm),
                Markdown.number(stats.outputNorm), Markdown.number(stats.distanceToMean),
                Markdown.number(stats.distanceToGlobal),
            ]
        }
        return [
            "## Heads", "",
            Markdown.table(
                [
                    "head", "fit examples", "final loss", "dense norm", "output norm", "distance to mean",
                    "distance to global",
                ],
                rows, alignRight: [1, 2, 3, 4, 5, 6]),
            "",
            "Δ personal − base (\(Markdown.text(data.task.primaryMetric)), positive = the heads helped): "
                + "**\(Markdown.signed(head.delta))**",
        ].joined(separator: "\n")
    }

    private func headMaps() -> String {
        let maps = data.headMaps.filter { charts.contains(ReportFiles.headMap($0.scorer)) }
        guard !maps.isEmpty else { return "" }
        var lines = ["## Among the other heads"]
        for map in maps {
            lines += [
                "", "![map of the \(map.scorer.rawValue) heads](\(ReportFiles.headMap(map.scorer)))", "",
                "\(Markdown.text(map.method)) \(Markdown.text(data.user.id)) is ringed; the diamond is the global head.",
            ]
        }
        return lines.joined(separator: "\n")
    }

    private func preference() -> String {
        guard let preference = data.preference else { return "" }
        var lines = ["## What the adapter head learned"]
        if charts.contains(ReportFiles.preference) {
            lines += ["", "![what the adapter head learned](\(ReportFiles.preference))"]
        }
        if let latent = preference.latent {
            let recovery = latent.recovery.map { "**\(Markdown.number($0))**" } ?? "nothing to recover (no preference)"
            lines += [
                "", "Latent preference (from the data): \(Markdown.text(latent.summary)).",
                "Recovered by the head (\(Markdown.text(latent.measure))): \(recovery).",
            ]
        }
        return lines.joined(separator: "\n")
    }

    private func moves() -> String {
        guard let moves = data.moves, !(moves.items.isEmpty && moves.candidates.isEmpty) else { return "" }
        func table(_ subject: String, _ list: [HeadMove], limit: Int) -> String {
            let top = list.sorted { abs($0.change) > abs($1.change) }.prefix(Self.topMoves)
            return Markdown.table(
                ["question", subject, "global head", "user's head", "change"],
                top.map {
                    [
                        Markdown.text($0.questionID), Markdown.text($0.subject, limit: limit),
                        Markdown.number($0.baseScore),
                        Markdown.number($0.personalScore), Markdown.signed($0.change),
                    ]
                }, alignRight: [2, 3, 4])
        }
        var lines = ["## What moves most"]
        if !moves.items.isEmpty {
            lines += [
                "", "Profile items whose reranker score the user's head changes most:", "",
                table("item", moves.items, limit: 40),
            ]
        }
        if !moves.candidates.isEmpty {
            lines += [
                "", "Candidates whose adapter score it changes most:", "",
                table("candidate", moves.candidates, limit: 80),
            ]
        }
        return lines.joined(separator: "\n")
    }

    private func losses() -> String {
        guard charts.contains(ReportFiles.loss) else {
            return
                "## Loss curves\n\nNo loss curve of this user's head fits is stored (no run yet, or a training user, "
                + "whose heads are trained jointly with the base)."
        }
        let finals = data.losses.compactMap { series in
            series.losses.last.map {
                "\(Markdown.text(series.id.name)) \(Markdown.number(Double($0))) after \(series.losses.count) steps"
            }
        }
        return "## Loss curves\n\n![loss curves](\(ReportFiles.loss))\n\nFinal loss: \(finals.joined(separator: "; "))."
    }

    private func coldStart() -> String {
        guard let report = data.coldStart, charts.contains(ReportFiles.coldStart) else { return "" }
        let rows = report.points.sorted { $0.size < $1.size }.map {
            [
                String($0.size), Markdown.number($0.mean), Markdown.number($0.low), Markdown.number($0.high),
                String($0.values.count),
            ]
        }
        var lines = [
            "## Cold start", "", "![cold start curve](\(ReportFiles.coldStart))", "",
            "The heads fitted on the most recent items only: the line is the mean over seeds, the band its "
                + "min–max; the dashed lines are the run's base-only and RAG results on the same questions.", "",
            Markdown.table(
                ["history size", "mean \(Markdown.text(report.metric))", "min", "max", "seeds"], rows,
                alignRight: [0, 1, 2, 3, 4]),
            "",
            "Base only: \(Markdown.number(report.baseOnly)) · RAG: \(Markdown.number(report.rag)) · "
                + "\(report.userIDs.count) user\(report.userIDs.count == 1 ? "" : "s") · \(report.newLLMCalls) new LLM calls · "
                + "\(Markdown.number(report.seconds, decimals: 1)) s",
        ]
        if !report.notes.isEmpty { lines += [""] + report.notes.map { "- " + Markdown.text($0) } }
        return lines.joined(separator: "\n")
    }
}
