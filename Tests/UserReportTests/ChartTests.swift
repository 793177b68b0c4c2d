import Foundation
import XCTest

@testable import UserReport

final class ChartTests: XCTestCase {
    // MARK: - Line chart

    func testLineChart_SkipsNonFinitePoints_AndBreaksTheLineThere() throws {
        let chart = LineChart(
            title: "loss", xLabel: "step", yLabel: "loss",
            series: [
                .init(
                    name: "a",
                    points: [
                        .init(x: 1, y: 0.9), .init(x: 2, y: 0.7), .init(x: 3, y: .nan), .init(x: 4, y: 0.5),
                        .init(x: 5, y: 0.4),
                    ]),
                .init(name: "b", points: [.init(x: .infinity, y: 1), .init(x: 1, y: 0.8), .init(x: 2, y: -.infinity)]),
            ])
        let svg = chart.svg()
        let xml = XMLCheck.parse(svg)
        XCTAssertNil(xml.error)
        XCTAssertNoNonFiniteNumbers(svg)
        XCTAssertEqual(
            xml.names("polyline").count, 2, "series a splits into two runs at the NaN; b's single point draws no line")
        XCTAssertEqual(xml.names("circle").count, 5, "a dot per finite point of the short series")
    }

    func testLineChart_DrawsBandsReferencesAndTitles() throws {
        let chart = LineChart(
            title: "cold start", xLabel: "size", yLabel: "accuracy",
            series: [
                .init(
                    name: "heads",
                    points: [.init(x: 5, y: 0.3, low: 0.2, high: 0.4), .init(x: 10, y: 0.5, low: 0.45, high: 0.6)]),
                .init(name: "lone", points: [.init(x: 20, y: 0.6, low: 0.55, high: 0.7)]),
            ],
            references: [.init(label: "base only", value: 0.35), .init(label: "RAG", value: .nan)])
        let xml = XMLCheck.parse(chart.svg())
        XCTAssertNil(xml.error)
        XCTAssertEqual(xml.names("polygon").count, 1, "one shaded band")
        XCTAssertTrue(
            xml.names("line").contains { $0["stroke"] == ChartPalette.series(1) }, "a lone point's spread is a whisker")
        XCTAssertEqual(
            xml.names("line").filter { $0["stroke-dasharray"] != nil }.count, 1, "the NaN reference line is left out")
        XCTAssertTrue(xml.text.contains("base only 0.35"))
        XCTAssertFalse(xml.text.contains("RAG"))
        XCTAssertEqual(xml.elements.first?.name, "svg")
        XCTAssertEqual(xml.elements.first?.attributes["viewBox"], "0 0 760 400")
        XCTAssertEqual(
            xml.elements.dropFirst().first?.name, "title", "the picture's title comes first, for screen readers")
    }

    func testLineChart_WithoutData_SaysSo() {
        let xml = XMLCheck.parse(
            LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [])]).svg())
        XCTAssertNil(xml.error)
        XCTAssertTrue(xml.text.contains("no data"))
    }

    // MARK: - Signed bars

    func testSignedBars_NegativeLeftOfZero_PositiveRight_NaNMarked() throws {
        let chart = SignedBarChart(
            title: "shifts", valueLabel: "shift",
            bars: [
                .init(label: "comedy", value: 0.2), .init(label: "action", value: -0.1),
                .init(label: "sci-fi", value: .nan),
            ])
        let svg = chart.svg()
        let xml = XMLCheck.parse(svg)
        XCTAssertNil(xml.error)
        XCTAssertNoNonFiniteNumbers(svg)
        let bars = xml.names("rect").filter {
            $0["fill"] == ChartPalette.positive || $0["fill"] == ChartPalette.negative
        }
        XCTAssertEqual(bars.count, 2)
        let zero = try XCTUnwrap(xml.names("line").first { $0["stroke-width"] == "1.5" }?["x1"].flatMap(Double.init))
        let positive = try XCTUnwrap(bars.first { $0["fill"] == ChartPalette.positive })
        let negative = try XCTUnwrap(bars.first { $0["fill"] == ChartPalette.negative })
        let number = { (bar: [String: String], key: String) in try XCTUnwrap(bar[key].flatMap(Double.init)) }
        XCTAssertEqual(try number(positive, "x"), zero, accuracy: 0.01, "a positive bar starts at zero")
        XCTAssertEqual(
            try number(negative, "x") + number(negative, "width"), zero, accuracy: 0.01, "a negative bar ends at zero")
        XCTAssertGreaterThan(
            try number(positive, "width"), try number(negative, "width"), "0.2 is drawn longer than −0.1")
        XCTAssertTrue(xml.text.contains("n/a"))
    }

    // MARK: - Scatter

    func testScatter_TwoClasses_HighlightAndGlobalMark() {
        let chart = ScatterChart(
            title: "heads", xLabel: "pc1", yLabel: "pc2", classNames: ("train", "eval"),
            points: [
                .init(label: "u1", x: 0, y: 1), .init(label: "u2", x: 1, y: 0, isSecondClass: true),
                .init(label: "u3", x: .nan, y: 0), .init(label: "u4", x: 2, y: 2, isSecondClass: true),
            ],
            highlighted: "u4", marked: .init(label: "global", x: 0.5, y: 0.5))
        let svg = chart.svg()
        let xml = XMLCheck.parse(svg)
        XCTAssertNil(xml.error)
        XCTAssertNoNonFiniteNumbers(svg)
        let titles = xml.text
        XCTAssertTrue(titles.contains("u1 (train)"))
        XCTAssertTrue(titles.contains("u2 (eval)"))
        XCTAssertFalse(titles.contains("u3"), "a point without finite coordinates is left out")
        XCTAssertEqual(
            xml.names("circle").filter { $0["fill"] == "none" && $0["r"] == "9" }.count, 1, "one highlight ring")
        XCTAssertEqual(xml.names("polygon").count, 2, "the global diamond and its legend entry")
    }

    // MARK: - Scales and numbers

    func testScale_RoundTicks_CoverTheData() {
        let scale = ChartScale(covering: [0.03, 0.97, .nan], from: 0, to: 100)
        XCTAssertEqual(scale.ticks.map { ($0 * 10).rounded() / 10 }, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(scale.position(0.5), 50, accuracy: 1e-9)
        XCTAssertEqual(
            ChartScale(covering: [3, 3], from: 0, to: 1).ticks.count > 1, true, "a flat series still gets an axis")
        XCTAssertEqual(ChartScale(covering: [], from: 0, to: 1).ticks.first, 0)
        XCTAssertEqual(ChartScale(covering: [120, 40_000], from: 0, to: 1).label(40_000), "40k")
    }

    func testNumberFormat_Compact_AndNeverNaN() {
        XCTAssertEqual(NumberFormat.coordinate(12.5), "12.5")
        XCTAssertEqual(NumberFormat.coordinate(3.0), "3")
        XCTAssertEqual(NumberFormat.coordinate(-0.001), "0")
        XCTAssertEqual(NumberFormat.coordinate(.nan), "0")
        XCTAssertEqual(NumberFormat.value(0.41234), "0.412")
        XCTAssertEqual(NumberFormat.value(1520.4), "1520")
        XCTAssertEqual(NumberFormat.value(.infinity), "n/a")
        XCTAssertEqual(NumberFormat.tick(0.4, step: 0.2), "0.4")
        XCTAssertEqual(NumberFormat.tick(-0.0, step: 0.5), "0.0")
    }

    func testSanitize_EscapesXML_AndDropsControls() {
        XCTAssertEqual(Sanitize.xml("a<b>&\"'\u{1B}[0m\nz"), "a&lt;b&gt;&amp;&quot;&apos;[0m z")
        XCTAssertEqual(Sanitize.stripControls("a\r\nb\u{0}\u{85}c", keepNewlines: true), "a\nbc")
        XCTAssertEqual(Sanitize.shorten("one two three four", to: 12), "one two…")
    }
}

/// Fails when `svg` writes a non-finite number (`nan`, `inf`, `infinity`, any case, any sign).
func XCTAssertNoNonFiniteNumbers(_ svg: String, file: StaticString = #filePath, line: UInt = #line) {
    let pattern = try! NSRegularExpression(pattern: #"\b(nan|inf|infinity)\b"#, options: [.caseInsensitive])
    let match = pattern.firstMatch(in: svg, range: NSRange(svg.startIndex..., in: svg))
    XCTAssertNil(match, "the SVG writes a non-finite number", file: file, line: line)
}
