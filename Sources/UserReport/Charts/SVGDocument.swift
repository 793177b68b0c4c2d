import Foundation

/// A plain SVG 1.1 picture built element by element: presentation attributes only (no CSS, no
/// scripts, no external fonts), a white background so it reads on light and dark pages, and a
/// `<title>` for screen readers. Every text goes through `Sanitize.xml`, every number through
/// `NumberFormat`.
struct SVGDocument {
    let width: Double
    let height: Double
    private let title: String
    private var elements: [String] = []

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// The finished file.
    func render() -> String {
        let (w, h) = (NumberFormat.coordinate(width), NumberFormat.coordinate(height))
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\#(w)" height="\#(h)" viewBox="0 0 \#(w) \#(h)" font-family="sans-serif" font-size="12">"#,
            "<title>\(Sanitize.xml(title))</title>",
            #"<rect x="0" y="0" width="\#(w)" height="\#(h)" fill="white"/>"#,
        ]
        lines += elements
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Elements

    mutating func line(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String, width: Double = 1,
        dashed: Bool = false
    ) {
        let dash = dashed ? #" stroke-dasharray="6 4""# : ""
        elements.append(
            #"<line x1="\#(c(start.x))" y1="\#(c(start.y))" x2="\#(c(end.x))" y2="\#(c(end.y))" stroke="\#(stroke)" stroke-width="\#(c(width))"\#(dash)/>"#
        )
    }

    /// An open line through `points` (at least two).
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2, title: String) {
        guard points.count > 1 else { return }
        elements.append(
            #"<polyline points="\#(pointList(points))" fill="none" stroke="\#(stroke)" stroke-width="\#(c(width))" stroke-linejoin="round"><title>\#(Sanitize.xml(title))</title></polyline>"#
        )
    }

    /// A filled shape through `points` (at least three).
    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double, title: String? = nil) {
        guard points.count > 2 else { return }
        elements.append(
            #"<polygon points="\#(pointList(points))" fill="\#(fill)" fill-opacity="\#(c(opacity))" stroke="none">\#(titleElement(title))</polygon>"#
        )
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil) {
        elements.append(
            #"<rect x="\#(c(x))" y="\#(c(y))" width="\#(c(max(0, width)))" height="\#(c(max(0, height)))" fill="\#(fill)">\#(titleElement(title))</rect>"#
        )
    }

    mutating func circle(
        x: Double, y: Double, radius: Double, fill: String, stroke: String = "none", strokeWidth: Double = 1,
        title: String? = nil
    ) {
        elements.append(
            #"<circle cx="\#(c(x))" cy="\#(c(y))" r="\#(c(radius))" fill="\#(fill)" stroke="\#(stroke)" stroke-width="\#(c(strokeWidth))">\#(titleElement(title))</circle>"#
        )
    }

    enum Anchor: String { case start, middle, end }

    /// `text` at (x, y) (the baseline), optionally turned by `rotation` degrees around that point.
    mutating func text(
        _ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, fill: String = "#222222",
        bold: Bool = false, rotation: Double = 0
    ) {
        let weight = bold ? #" font-weight="bold""# : ""
        let turn = rotation == 0 ? "" : #" transform="rotate(\#(c(rotation)) \#(c(x)) \#(c(y)))""#
        elements.append(
            #"<text x="\#(c(x))" y="\#(c(y))" text-anchor="\#(anchor.rawValue)" font-size="\#(c(size))" fill="\#(fill)"\#(weight)\#(turn)>\#(Sanitize.xml(text))</text>"#
        )
    }

    // MARK: - Helpers

    private func c(_ value: Double) -> String { NumberFormat.coordinate(value) }

    private func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { c($0.x) + "," + c($0.y) }.joined(separator: " ")
    }

    private func titleElement(_ title: String?) -> String {
        title.map { "<title>\(Sanitize.xml($0))</title>" } ?? ""
    }
}
