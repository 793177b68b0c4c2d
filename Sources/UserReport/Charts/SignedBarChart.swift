import Foundation

/// Horizontal bars around zero, one per label: positive values to the right, negative to the
/// left in another colour (label shifts of a head, feature correlations). A non-finite value
/// keeps its row, marked `n/a`, without a bar.
public struct SignedBarChart: Sendable {
    /// One row: the label on the left, the bar from zero to `value`.
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The heading drawn above the bars, also the picture's `<title>`.
    public var title: String
    /// What the values are, under the axis.
    public var valueLabel: String
    public var bars: [Bar]

    public init(title: String, valueLabel: String, bars: [Bar]) {
        self.title = title
        self.valueLabel = valueLabel
        self.bars = bars
    }

    // MARK: - Drawing

    private static let width = 760.0
    private static let plot = (left: 200.0, right: 700.0, top: 44.0)
    private static let rowHeight = 22.0

    /// The chart as an SVG file.
    public func svg() -> String {
        let plot = Self.plot
        let bottom = plot.top + Double(max(bars.count, 1)) * Self.rowHeight
        // 15% beyond the longest bar leaves room for its value label
        let x = ChartScale(covering: [0] + bars.map { $0.value * 1.15 }, from: plot.left, to: plot.right, tickCount: 6)
        var svg = SVGDocument(width: Self.width, height: bottom + 56, title: title)
        svg.text(title, x: 20, y: 24, size: 15, bold: true)

        for tick in x.ticks {
            let at = x.position(tick)
            svg.line(from: (at, plot.top), to: (at, bottom), stroke: ChartPalette.grid)
            svg.text(x.label(tick), x: at, y: bottom + 16, anchor: .middle, size: 11)
        }
        svg.text(valueLabel, x: (plot.left + plot.right) / 2, y: bottom + 38, anchor: .middle)
        if bars.isEmpty {
            svg.text("no data", x: (plot.left + plot.right) / 2, y: plot.top + 15, anchor: .middle)
        }

        let zero = x.position(0)
        for (row, bar) in bars.enumerated() {
            let top = plot.top + Double(row) * Self.rowHeight
            let middle = top + Self.rowHeight / 2
            svg.text(Sanitize.shorten(bar.label, to: 28), x: plot.left - 8, y: middle + 4, anchor: .end)
            guard bar.value.isFinite else {
                svg.text("n/a", x: zero + 4, y: middle + 4, size: 11, fill: ChartPalette.reference)
                continue
            }
            let end = x.position(bar.value)
            let description = "\(bar.label): \(NumberFormat.value(bar.value))"
            svg.rect(
                x: min(zero, end), y: top + 4, width: abs(end - zero), height: Self.rowHeight - 8,
                fill: bar.value < 0 ? ChartPalette.negative : ChartPalette.positive, title: description)
            let outside =
                bar.value < 0
                ? (x: min(zero, end) - 4, anchor: SVGDocument.Anchor.end) : (x: max(zero, end) + 4, anchor: .start)
            svg.text(NumberFormat.value(bar.value), x: outside.x, y: middle + 4, anchor: outside.anchor, size: 11)
        }
        svg.line(from: (zero, plot.top - 4), to: (zero, bottom), stroke: ChartPalette.axis, width: 1.5)
        return svg.render()
    }
}
