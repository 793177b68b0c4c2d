import Foundation

/// A line chart: named series with an optional shaded band each (the spread of the values behind
/// a point, e.g. the min–max over seeds), and labelled horizontal reference lines. Points with a
/// non-finite coordinate are left out and break the line there.
public struct LineChart: Sendable {
    /// One point of a series, with the band's ends at the same x when the series has a spread.
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double
        /// The spread's ends at `x` (both, or no band here).
        public var low: Double?
        public var high: Double?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil) {
            self.x = x
            self.y = y
            self.low = low
            self.high = high
        }
    }

    /// A named line.
    public struct Series: Sendable, Hashable {
        public var name: String
        public var points: [Point]

        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    /// A horizontal line across the plot at `value`, labelled at its right end.
    public struct Reference: Sendable, Hashable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The heading drawn above the plot, also the picture's `<title>`.
    public var title: String
    /// The axes' captions.
    public var xLabel: String
    public var yLabel: String
    /// Drawn in order, each in the next colour of the palette, with a legend on the right.
    public var series: [Series]
    public var references: [Reference]

    public init(title: String, xLabel: String, yLabel: String, series: [Series], references: [Reference] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.references = references
    }

    // MARK: - Drawing

    private static let size = (width: 760.0, height: 400.0)
    private static let plot = (left: 70.0, right: 560.0, top: 40.0, bottom: 340.0)

    /// The chart as an SVG file.
    public func svg() -> String {
        let plot = Self.plot
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let bandValues = points.flatMap { [$0.low, $0.high].compactMap { $0 } }
        let x = ChartScale(covering: points.map(\.x), from: plot.left, to: plot.right)
        let y = ChartScale(
            covering: points.map(\.y) + bandValues + references.map(\.value), from: plot.bottom, to: plot.top)

        var svg = SVGDocument(width: Self.size.width, height: Self.size.height, title: title)
        svg.text(title, x: plot.left, y: 24, size: 15, bold: true)
        ChartAxes.draw(into: &svg, x: x, y: y, xLabel: xLabel, yLabel: yLabel)
        if points.isEmpty {
            svg.text("no data", x: (plot.left + plot.right) / 2, y: (plot.top + plot.bottom) / 2, anchor: .middle)
        }

        for (index, line) in series.enumerated() {
            let colour = ChartPalette.series(index)
            for band in Self.bands(of: line.points) {
                // a point whose neighbours have no spread gets a whisker instead of a band
                if band.count == 1, let only = band.first {
                    let at = x.position(only.x)
                    svg.line(
                        from: (at, y.position(only.low)), to: (at, y.position(only.high)), stroke: colour, width: 1.5)
                    continue
                }
                let upper = band.map { (x: x.position($0.x), y: y.position($0.high)) }
                let lower = band.reversed().map { (x: x.position($0.x), y: y.position($0.low)) }
                svg.polygon(upper + lower, fill: colour, opacity: 0.18, title: "\(line.name): spread (min–max)")
            }
        }
        for reference in references where reference.value.isFinite {
            let at = y.position(reference.value)
            svg.line(
                from: (plot.left, at), to: (plot.right, at), stroke: ChartPalette.reference, width: 1.5, dashed: true)
            svg.text(
                "\(reference.label) \(NumberFormat.value(reference.value))", x: plot.right - 4, y: at - 5, anchor: .end,
                size: 11, fill: ChartPalette.reference)
        }
        for (index, line) in series.enumerated() {
            let colour = ChartPalette.series(index)
            for segment in Self.segments(of: line.points) {
                let path = segment.map { (x: x.position($0.x), y: y.position($0.y)) }
                svg.polyline(path, stroke: colour, title: line.name)
                // a lone point or a short series still shows where its values are
                if segment.count <= 12 {
                    for (point, at) in zip(segment, path) {
                        svg.circle(
                            x: at.x, y: at.y, radius: 3, fill: colour,
                            title: "\(line.name): \(NumberFormat.value(point.x)) → \(NumberFormat.value(point.y))")
                    }
                }
            }
        }
        drawLegend(into: &svg)
        return svg.render()
    }

    private func drawLegend(into svg: inout SVGDocument) {
        let left = Self.plot.right + 20
        for (index, line) in series.enumerated() {
            let top = Self.plot.top + 8 + Double(index) * 20
            svg.rect(x: left, y: top - 9, width: 14, height: 10, fill: ChartPalette.series(index))
            svg.text(Sanitize.shorten(line.name, to: 26), x: left + 20, y: top, size: 12)
        }
    }

    /// Runs of consecutive points with finite coordinates.
    static func segments(of points: [Point]) -> [[Point]] {
        var runs: [[Point]] = [[]]
        for point in points {
            if point.x.isFinite && point.y.isFinite {
                runs[runs.count - 1].append(point)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }

    /// Runs of consecutive points whose x, y, low and high are all finite, as (x, low, high).
    static func bands(of points: [Point]) -> [[(x: Double, low: Double, high: Double)]] {
        var runs: [[(x: Double, low: Double, high: Double)]] = [[]]
        for point in points {
            if let low = point.low, let high = point.high, point.x.isFinite, point.y.isFinite, low.isFinite,
                high.isFinite
            {
                runs[runs.count - 1].append((point.x, low, high))
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        return runs.filter { !$0.isEmpty }
    }
}
