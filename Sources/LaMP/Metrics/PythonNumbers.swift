import Foundation

/// The numeric side of Python the LaMP evaluator relies on: `float()` and numpy's summation
/// order, reproduced so metrics agree to the last bit.
extension PythonText {
    /// Python's `float(text)`: optional surrounding whitespace and sign; `inf`, `infinity` or
    /// `nan` in any case; or decimal digits (any Unicode decimal digit, single `_` between digits)
    /// with an optional fraction and exponent. Returns nil where Python raises `ValueError`
    /// (hexadecimal, empty, `1__0`, `1e`, ...).
    static func parseFloat(_ text: String) -> Double? {
        var ascii = ""
        for s in strip(text).unicodeScalars {
            if s.isASCII {
                ascii.unicodeScalars.append(s)
            } else if s.properties.numericType == .decimal, let v = s.properties.numericValue {
                ascii += String(Int(v))
            } else {
                return nil
            }
        }
        var body = Substring(ascii)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        switch body.lowercased() {
        case "inf", "infinity", "nan": return Double(ascii.lowercased())
        default: break
        }
        // digitpart ["." [digitpart]] [exponent] | "." digitpart [exponent]
        let chars = Array(body.utf8)
        var i = 0
        func isDigit(_ j: Int) -> Bool { j < chars.count && chars[j] >= 0x30 && chars[j] <= 0x39 }
        func digitPart() -> Bool {
            guard isDigit(i) else { return false }
            i += 1
            while i < chars.count {
                if isDigit(i) {
                    i += 1
                } else if chars[i] == UInt8(ascii: "_"), isDigit(i + 1) {
                    i += 2
                } else {
                    break
                }
            }
            return true
        }
        let integer = digitPart()
        if i < chars.count && chars[i] == UInt8(ascii: ".") {
            i += 1
            let fraction = digitPart()
            if !integer && !fraction { return nil }
        } else if !integer {
            return nil
        }
        if i < chars.count && (chars[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < chars.count && (chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-")) { i += 1 }
            if !digitPart() { return nil }
        }
        guard i == chars.count else { return nil }
        return Double(ascii.replacingOccurrences(of: "_", with: ""))
    }

    /// numpy's float64 `add.reduce` (`np.sum`, `np.mean` numerator): pairwise summation with
    /// eight accumulators for blocks of up to 128 values.
    static func numpySum(_ values: ArraySlice<Double>) -> Double {
        let n = values.count
        let a = values.startIndex
        if n < 8 {
            var sum = 0.0
            for v in values { sum += v }
            return sum
        } else if n <= 128 {
            var r = Array(values[a..<a + 8])
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += values[a + i + j] }
                i += 8
            }
            var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n {
                sum += values[a + i]
                i += 1
            }
            return sum
        } else {
            var half = n / 2
            half -= half % 8
            return numpySum(values[a..<a + half]) + numpySum(values[(a + half)...])
        }
    }

    /// numpy's `mean` of a 1-D float64 array (0 for none, where numpy would give nan).
    static func numpyMean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : numpySum(values[...]) / Double(values.count)
    }
}
