import Foundation

/// The frame every x–y chart shares: grid lines at the ticks, the axes, tick labels and axis titles.
enum ChartAxes {
    static func draw(into svg: inout SVGDocument, x: ChartScale, y: ChartScale, xLabel: String, yLabel: String) {
        for tick in y.ticks {
            let at = y.position(tick)
            svg.line(from: (x.start, at), to: (x.end, at), stroke: ChartPalette.grid)
            svg.text(y.label(tick), x: x.start - 6, y: at + 4, anchor: .end, size: 11)
        }
        for tick in x.ticks {
            let at = x.position(tick)
            svg.line(from: (at, y.start), to: (at, y.start + 5), stroke: ChartPalette.axis)
            svg.text(x.label(tick), x: at, y: y.start + 18, anchor: .middle, size: 11)
        }
        svg.line(from: (x.start, y.start), to: (x.end, y.start), stroke: ChartPalette.axis)
        svg.line(from: (x.start, y.start), to: (x.start, y.end), stroke: ChartPalette.axis)
        svg.text(xLabel, x: (x.start + x.end) / 2, y: y.start + 40, anchor: .middle, size: 12)
        let middle = (y.start + y.end) / 2
        svg.text(yLabel, x: x.start - 50, y: middle, anchor: .middle, size: 12, rotation: -90)
    }
}
