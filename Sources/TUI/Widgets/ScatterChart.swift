/// Points on braille dots (2×4 per cell) over an x and a y range, each cell in the role of its
/// last point; single points can be marked with a character drawn over the dots (the selected
/// head, the global head).
public struct ScatterChart: Sendable {
    public struct Point: Sendable {
        public var x: Double, y: Double
        public var role: StyleRole

        public init(x: Double, y: Double, role: StyleRole) {
            self.x = x
            self.y = y
            self.role = role
        }
    }

    public let width: Int, height: Int
    public let xRange: ClosedRange<Double>, yRange: ClosedRange<Double>

    /// A chart whose ranges cover every finite point (a little wider, so none sits on the frame).
    public init(width: Int, height: Int, covering points: [(x: Double, y: Double)]) {
        self.width = max(0, width)
        self.height = max(0, height)
        func range(_ values: [Double]) -> ClosedRange<Double> {
            let finite = values.filter(\.isFinite)
            guard let lo = finite.min(), let hi = finite.max() else { return -1...1 }
            let pad = max((hi - lo) * 0.05, 1e-9)
            return (lo - pad)...(hi + pad)
        }
        xRange = range(points.map(\.x))
        yRange = range(points.map(\.y))
    }

    /// The cell of a point (nil for non-finite points), top row 0.
    public func cell(x: Double, y: Double) -> (column: Int, row: Int)? {
        guard let (dx, dy) = dot(x: x, y: y) else { return nil }
        return (dx / 2, dy / 4)
    }

    private func dot(x: Double, y: Double) -> (Int, Int)? {
        guard x.isFinite, y.isFinite, width > 0, height > 0 else { return nil }
        let dotsWide = width * 2, dotsHigh = height * 4
        let fx = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        let fy = (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
        let dx = min(dotsWide - 1, max(0, Int((fx * Double(dotsWide - 1)).rounded())))
        let dy = min(dotsHigh - 1, max(0, dotsHigh - 1 - Int((fy * Double(dotsHigh - 1)).rounded())))
        return (dx, dy)
    }

    /// Draws `points` as dots, then `marks` as characters, with the top-left cell at (x, y).
    public func draw(
        _ canvas: inout Canvas, x: Int, y: Int, points: [Point], marks: [(x: Double, y: Double, text: String, role: StyleRole)]
    ) {
        var bits = [UInt8](repeating: 0, count: width * height)
        var roles = [StyleRole?](repeating: nil, count: width * height)
        let masks: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        for point in points {
            guard let (dx, dy) = dot(x: point.x, y: point.y) else { continue }
            let i = (dy / 4) * width + dx / 2
            bits[i] |= masks[dx % 2][dy % 4]
            roles[i] = point.role
        }
        for row in 0..<height {
            for column in 0..<width {
                let i = row * width + column
                guard bits[i] != 0, let role = roles[i], let scalar = Unicode.Scalar(0x2800 + UInt32(bits[i])) else { continue }
                canvas.set(x + column, y + row, Cell(text: String(Character(scalar)), role: role))
            }
        }
        for mark in marks {
            guard let (column, row) = cell(x: mark.x, y: mark.y) else { continue }
            canvas.set(x + column, y + row, Cell(text: mark.text, role: mark.role))
        }
    }
}
