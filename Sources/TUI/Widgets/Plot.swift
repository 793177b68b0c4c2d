/// Text plots for live numbers (loss curves in later screens).
public enum Plot {
    /// A one-line sparkline of the last `width` values using the eight block heights.
    public static func sparkline(_ values: [Double], width: Int) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let shown = values.suffix(max(0, width)).filter { $0.isFinite }
        guard let low = shown.min(), let high = shown.max() else { return "" }
        let span = high - low
        return String(shown.map { v in
            let level = span > 0 ? Int((v - low) / span * 7 + 0.5) : 3
            return blocks[min(7, max(0, level))]
        })
    }

    /// A braille line plot of `values` in `width` × `height` cells (each cell is a 2×4 dot
    /// grid), x spread over all values and y scaled between their minimum and maximum.
    /// - Returns: `height` lines, top first.
    public static func braille(_ values: [Double], width: Int, height: Int) -> [String] {
        guard width > 0, height > 0 else { return [] }
        let finite = values.filter { $0.isFinite }
        let dotsWide = width * 2, dotsHigh = height * 4
        var bits = [UInt8](repeating: 0, count: width * height)
        if let low = finite.min(), let high = finite.max() {
            let span = high - low
            func dotRow(_ v: Double) -> Int {
                let t = span > 0 ? (v - low) / span : 0.5
                return dotsHigh - 1 - Int((t * Double(dotsHigh - 1)).rounded())
            }
            var previous: (Int, Int)?
            for i in 0..<dotsWide {
                let position = finite.count == 1 ? 0 : i * (finite.count - 1) / max(1, dotsWide - 1)
                let y = dotRow(finite[position])
                // join to the previous column so steep changes stay connected
                let (from, to) = previous.map { (min($0.1, y), max($0.1, y)) } ?? (y, y)
                for yy in from...to { setDot(&bits, x: i, y: yy, width: width) }
                previous = (i, y)
            }
        }
        return (0..<height).map { row in
            String((0..<width).map { col in
                Unicode.Scalar(0x2800 + UInt32(bits[row * width + col])).map(Character.init) ?? " "
            })
        }
    }

    private static func setDot(_ bits: inout [UInt8], x: Int, y: Int, width: Int) {
        // braille dot numbering: left column 1,2,3,7 and right column 4,5,6,8 from the top
        let masks: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        let cell = (y / 4) * width + x / 2
        guard bits.indices.contains(cell) else { return }
        bits[cell] |= masks[x % 2][y % 4]
    }
}
