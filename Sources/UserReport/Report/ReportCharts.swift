import Foundation
import WorkbenchAPI

/// The report's charts, each built from `UserReportData` only when it has something to draw.
enum ReportCharts {
    /// The user's fit loss curves, one line per series; nil without a finite loss.
    static func losses(_ data: UserReportData) -> LineChart? {
        let series = data.losses.map { loss in
            LineChart.Series(
                name: loss.id.name,
                points: loss.losses.enumerated().map {
                    LineChart.Point(x: Double($0.offset + 1), y: Double($0.element))
                })
        }
        guard series.contains(where: { $0.points.contains { $0.y.isFinite } }) else { return nil }
        return LineChart(
            title: "Fit loss of \(data.user.id)'s heads", xLabel: "step", yLabel: "loss (cross-entropy)", series: series
        )
    }

    /// What the adapter head learned: label shifts (classification, rating) or feature
    /// correlations (generation); nil when the data has neither.
    static func preference(_ data: UserReportData) -> SignedBarChart? {
        guard let preference = data.preference else { return nil }
        if !preference.labelShifts.isEmpty {
            return SignedBarChart(
                title: "Labels \(data.user.id)'s adapter head favours",
                valueLabel: "mean P(useful), user's head − global head",
                bars: preference.labelShifts.map { .init(label: $0.label, value: $0.shift) })
        }
        if !preference.featureWeights.isEmpty {
            return SignedBarChart(
                title: "Candidate properties \(data.user.id)'s adapter head rewards",
                valueLabel: "Pearson r of the property with the head's score shift",
                bars: preference.featureWeights.map { .init(label: $0.feature, value: $0.correlation) })
        }
        return nil
    }

    /// The metric against history size with its spread over seeds, beside the base-only and RAG
    /// lines; nil without a cold start report.
    static func coldStart(_ data: UserReportData) -> LineChart? {
        guard let report = data.coldStart, !report.points.isEmpty else { return nil }
        let points = report.points.sorted { $0.size < $1.size }.map {
            LineChart.Point(x: Double($0.size), y: $0.mean, low: $0.low, high: $0.high)
        }
        let references = [
            report.baseOnly.map { LineChart.Reference(label: "base only", value: $0) },
            report.rag.map { LineChart.Reference(label: "RAG", value: $0) },
        ].compactMap { $0 }
        let users = report.userIDs.count == 1 ? report.userIDs[0] : "\(report.userIDs.count) users"
        return LineChart(
            title: "Cold start: \(report.metric) vs history size (\(users))",
            xLabel: "profile items the heads were fitted on", yLabel: report.metric,
            series: [.init(name: "user's heads, \(report.seeds) seeds", points: points)],
            references: references)
    }

    /// One map of every head of a scorer, the user's highlighted and the global head marked.
    static func headMap(_ map: HeadMap, user: String) -> ScatterChart {
        let users = map.points.filter { $0.userID != nil }.map {
            ScatterChart.Point(label: $0.userID ?? "", x: $0.x, y: $0.y, isSecondClass: $0.role == .eval)
        }
        let global = map.points.first { $0.userID == nil }.map { ScatterChart.Point(label: "global", x: $0.x, y: $0.y) }
        let axis = { (index: Int) in
            map.explainedVariance.indices.contains(index)
                ? "component \(index + 1) (\(NumberFormat.value(map.explainedVariance[index] * 100))% of variance)"
                : "component \(index + 1)"
        }
        return ScatterChart(
            title: "Map of the \(map.scorer.rawValue) heads", xLabel: axis(0), yLabel: axis(1),
            classNames: ("train users", "eval users"), points: users, highlighted: user, marked: global)
    }
}
