import Foundation

/// A chart of several series on braille dots (2×4 per cell), sharing one y range; each cell
/// takes the role of the last series that set a dot in it.
public struct BrailleChart: Sendable {
    public let width: Int, height: Int
    /// The y range (already log-transformed when `logScale`).
    public let low: Double, high: Double
    public let logScale: Bool
    private var bits: [UInt8]
    private var roles: [StyleRole?]

    /// A chart whose y range covers every finite value of `series` (positive values only on a
    /// log scale).
    public init(width: Int, height: Int, covering series: [ArraySlice<Float>], logScale: Bool) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.logScale = logScale
        var lo = Double.infinity, hi = -Double.infinity
        for s in series {
            for v in s {
                guard let t = BrailleChart.transform(Double(v), log: logScale) else { continue }
                lo = min(lo, t)
                hi = max(hi, t)
            }
        }
        if !lo.isFinite { (lo, hi) = (0, 1) }
        if hi - lo < 1e-12 { (lo, hi) = (lo - 0.5, hi + 0.5) }
        low = lo
        high = hi
        bits = Array(repeating: 0, count: self.width * self.height)
        roles = Array(repeating: nil, count: self.width * self.height)
    }

    static func transform(_ v: Double, log: Bool) -> Double? {
        guard v.isFinite else { return nil }
        if log { return v > 0 ? log10(v) : nil }
        return v
    }

    /// The value at the top or bottom edge, back in loss units.
    public func label(top: Bool) -> Double {
        let t = top ? high : low
        return logScale ? pow(10, t) : t
    }

    /// Plots `values` spread over the whole width as a connected line.
    public mutating func plot(_ values: ArraySlice<Float>, role: StyleRole) {
        guard width > 0, height > 0, !values.isEmpty else { return }
        let dotsWide = width * 2, dotsHigh = height * 4
        let start = values.startIndex
        var previous: Int?
        for x in 0..<dotsWide {
            let position = values.count == 1 ? 0 : x * (values.count - 1) / max(1, dotsWide - 1)
            guard let t = BrailleChart.transform(Double(values[start + position]), log: logScale) else {
                previous = nil
                continue
            }
            let y = dotsHigh - 1 - Int(((t - low) / (high - low) * Double(dotsHigh - 1)).rounded())
            let (from, to) = previous.map { (min($0, y), max($0, y)) } ?? (y, y)
            for yy in max(0, from)...max(0, min(dotsHigh - 1, to)) { set(x: x, y: yy, role: role) }
            previous = y
        }
    }

    /// Shades the band between `lower` and `upper` (same length) with dots.
    public mutating func band(lower: [Float], upper: [Float], role: StyleRole) {
        guard width > 0, height > 0, !lower.isEmpty, lower.count == upper.count else { return }
        let dotsWide = width * 2, dotsHigh = height * 4
        for x in stride(from: 0, to: dotsWide, by: 2) {
            let position = lower.count == 1 ? 0 : x * (lower.count - 1) / max(1, dotsWide - 1)
            guard let a = BrailleChart.transform(Double(lower[position]), log: logScale),
                let b = BrailleChart.transform(Double(upper[position]), log: logScale)
            else { continue }
            let ya = dotsHigh - 1 - Int(((a - low) / (high - low) * Double(dotsHigh - 1)).rounded())
            let yb = dotsHigh - 1 - Int(((b - low) / (high - low) * Double(dotsHigh - 1)).rounded())
            for y in stride(from: max(0, min(ya, yb)), through: min(dotsHigh - 1, max(ya, yb)), by: 2) { set(x: x, y: y, role: role) }
        }
    }

    private mutating func set(x: Int, y: Int, role: StyleRole) {
        // braille dot numbering: left column 1,2,3,7 and right column 4,5,6,8 from the top
        let masks: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        let cell = (y / 4) * width + x / 2
        guard bits.indices.contains(cell) else { return }
        bits[cell] |= masks[x % 2][y % 4]
        roles[cell] = role
    }

    /// Draws the dots with their top-left cell at (x, y).
    public func draw(_ canvas: inout Canvas, x: Int, y: Int) {
        for row in 0..<height {
            for col in 0..<width {
                let i = row * width + col
                guard bits[i] != 0, let role = roles[i], let scalar = Unicode.Scalar(0x2800 + UInt32(bits[i])) else { continue }
                canvas.set(x + col, y + row, Cell(text: String(Character(scalar)), role: role))
            }
        }
    }
}
