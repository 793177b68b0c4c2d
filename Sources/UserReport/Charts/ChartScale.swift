import Foundation

/// A linear map from data values to picture coordinates, over a domain widened to round ticks.
struct ChartScale {
    /// The domain's ends after widening, and the ticks (multiples of `step` inside it).
    let low: Double
    let high: Double
    let step: Double
    let ticks: [Double]
    /// Picture coordinates of `low` and `high` (for a y axis, `start` is the bottom).
    let start: Double
    let end: Double

    /// A scale over the finite values of `values` with about `tickCount` ticks of 1, 2 or 5 × 10ⁿ,
    /// widened by `padding` (a share of the values' span) on each side first. No finite value
    /// gives 0...1; a single value gets room around it.
    init(covering values: [Double], from start: Double, to end: Double, tickCount: Int = 5, padding: Double = 0) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        let span = high - low
        if span.isFinite, span > 0 { (low, high) = (low - span * padding, high + span * padding) }
        if !(high - low).isFinite {
            // values near ±Double.greatestFiniteMagnitude: no chart of ours has them; stay drawable
            (low, high) = (0, 1)
        } else if high - low < 1e-12 {
            let pad = max(abs(low) * 0.1, 1e-3)
            (low, high) = finite.isEmpty ? (0, 1) : (low - pad, high + pad)
        }
        let raw = (high - low) / Double(max(tickCount, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let normalized = raw / magnitude
        let step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude
        let first = floor(low / step + 1e-9) * step
        let last = ceil(high / step - 1e-9) * step
        let count = Int(((last - first) / step).rounded())
        self.step = step
        self.low = first
        self.high = last
        ticks = (0...count).map { first + Double($0) * step }
        self.start = start
        self.end = end
    }

    /// The picture coordinate of `value`.
    func position(_ value: Double) -> Double {
        start + (value - low) / (high - low) * (end - start)
    }

    /// The tick's label.
    func label(_ tick: Double) -> String { NumberFormat.tick(tick, step: step) }
}

/// Colours the charts share: the Okabe–Ito palette, told apart with colour-blindness too.
enum ChartPalette {
    static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    static let positive = "#0072B2"
    static let negative = "#D55E00"
    static let axis = "#444444"
    static let grid = "#e6e6e6"
    static let reference = "#555555"

    static func series(_ index: Int) -> String { series[index % series.count] }
}
