import Foundation

/// Numbers as the SVG charts write them: short, and never `nan` or `inf`.
enum NumberFormat {
    /// A coordinate: at most two decimals, trailing zeros dropped (`12.5`, `3`, `-0.25`).
    /// A non-finite value is written as 0; callers skip such points before they get here.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return trimmed(String(format: "%.2f", value))
    }

    /// An axis tick at `value` on an axis whose ticks are `step` apart: as many decimals as the
    /// step needs, thousands and millions as `k` and `M`.
    static func tick(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return "" }
        let magnitude = abs(value)
        if magnitude >= 1e6, abs(step) >= 1e5 { return tick(value / 1e6, step: step / 1e6) + "M" }
        if magnitude >= 1e4, abs(step) >= 1e3 { return tick(value / 1e3, step: step / 1e3) + "k" }
        let decimals = step > 0 && step.isFinite ? max(0, Int((-log10(step)).rounded(.up))) : 2
        let text = String(format: "%.\(min(decimals, 6))f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// A data value in a label or a tooltip: three significant digits (`0.412`, `12.3`, `1520`).
    static func value(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let magnitude = abs(value)
        if magnitude >= 1000 || magnitude == 0 { return trimmed(String(format: "%.0f", value)) }
        let decimals = max(0, 2 - Int(floor(log10(magnitude))))
        return trimmed(String(format: "%.\(min(decimals, 6))f", value))
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
