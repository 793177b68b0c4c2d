import Foundation

/// Points of two classes (circles and squares in two colours), one highlighted point (a ring
/// with its label) and one marked reference point (a black diamond, e.g. the global head).
/// Points with a non-finite coordinate are left out.
public struct ScatterChart: Sendable {
    /// A point, named by `label` in its tooltip (and beside it when highlighted).
    public struct Point: Sendable, Hashable {
        public var label: String
        public var x: Double
        public var y: Double
        /// Which of the chart's two classes the point is in: false the first, true the second.
        public var isSecondClass: Bool

        public init(label: String, x: Double, y: Double, isSecondClass: Bool = false) {
            self.label = label
            self.x = x
            self.y = y
            self.isSecondClass = isSecondClass
        }
    }

    /// The heading drawn above the plot, also the picture's `<title>`.
    public var title: String
    /// The axes' captions.
    public var xLabel: String
    public var yLabel: String
    /// The two classes' names for the legend.
    public var classNames: (first: String, second: String)
    public var points: [Point]
    /// The label of the point to highlight.
    public var highlighted: String?
    /// The marked point, drawn with `markedName` as its label.
    public var marked: Point?
    public var markedName: String

    public init(
        title: String, xLabel: String, yLabel: String, classNames: (first: String, second: String), points: [Point],
        highlighted: String? = nil, marked: Point? = nil, markedName: String = "global"
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.classNames = classNames
        self.points = points
        self.highlighted = highlighted
        self.marked = marked
        self.markedName = markedName
    }

    // MARK: - Drawing

    private static let size = (width: 760.0, height: 480.0)
    private static let plot = (left: 70.0, right: 560.0, top: 40.0, bottom: 420.0)
    private static let colours = (first: ChartPalette.series(0), second: ChartPalette.series(1))

    /// The chart as an SVG file.
    public func svg() -> String {
        let plot = Self.plot
        let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
        let mark = marked.flatMap { $0.x.isFinite && $0.y.isFinite ? $0 : nil }
        let all = shown + (mark.map { [$0] } ?? [])
        // padding keeps points off the axes
        let x = ChartScale(covering: all.map(\.x), from: plot.left, to: plot.right, padding: 0.05)
        let y = ChartScale(covering: all.map(\.y), from: plot.bottom, to: plot.top, padding: 0.05)

        var svg = SVGDocument(width: Self.size.width, height: Self.size.height, title: title)
        svg.text(title, x: plot.left, y: 24, size: 15, bold: true)
        ChartAxes.draw(into: &svg, x: x, y: y, xLabel: xLabel, yLabel: yLabel)
        if all.isEmpty {
            svg.text("no data", x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2, anchor: .middle)
        }

        for point in shown {
            drawPoint(point, at: (x.position(point.x), y.position(point.y)), into: &svg)
        }
        if let mark {
            let at = (x: x.position(mark.x), y: y.position(mark.y))
            let diamond = [(at.x, at.y - 8), (at.x + 8, at.y), (at.x, at.y + 8), (at.x - 8, at.y)]
            svg.polygon(diamond.map { (x: $0.0, y: $0.1) }, fill: "#000000", opacity: 1, title: markedName)
            svg.text(markedName, x: at.x + 11, y: at.y + 4, size: 11, bold: true)
        }
        // the highlighted point last, so nothing covers it
        if let highlighted, let point = shown.first(where: { $0.label == highlighted }) {
            let at = (x: x.position(point.x), y: y.position(point.y))
            svg.circle(
                x: at.x, y: at.y, radius: 9, fill: "none", stroke: "#000000", strokeWidth: 2.5, title: point.label)
            svg.text(point.label, x: at.x + 12, y: at.y - 8, size: 12, bold: true)
        }
        drawLegend(into: &svg)
        return svg.render()
    }

    private func drawPoint(_ point: Point, at: (x: Double, y: Double), into svg: inout SVGDocument) {
        let name = point.isSecondClass ? classNames.second : classNames.first
        let title = "\(point.label) (\(name)): \(NumberFormat.value(point.x)), \(NumberFormat.value(point.y))"
        if point.isSecondClass {
            svg.rect(x: at.x - 4, y: at.y - 4, width: 8, height: 8, fill: Self.colours.second, title: title)
        } else {
            svg.circle(x: at.x, y: at.y, radius: 4, fill: Self.colours.first, title: title)
        }
    }

    private func drawLegend(into svg: inout SVGDocument) {
        let left = Self.plot.right + 20
        var top = Self.plot.top + 8
        svg.circle(x: left + 5, y: top - 4, radius: 4, fill: Self.colours.first)
        svg.text(classNames.first, x: left + 16, y: top)
        top += 20
        svg.rect(x: left + 1, y: top - 8, width: 8, height: 8, fill: Self.colours.second)
        svg.text(classNames.second, x: left + 16, y: top)
        if marked != nil {
            top += 20
            svg.polygon(
                [(left + 5, top - 10), (left + 11, top - 4), (left + 5, top + 2), (left - 1, top - 4)].map {
                    (x: $0.0, y: $0.1)
                }, fill: "#000000", opacity: 1)
            svg.text(markedName, x: left + 16, y: top)
        }
        if let highlighted {
            top += 20
            svg.circle(x: left + 5, y: top - 4, radius: 6, fill: "none", stroke: "#000000", strokeWidth: 2)
            svg.text(Sanitize.shorten(highlighted, to: 24), x: left + 16, y: top)
        }
    }
}
