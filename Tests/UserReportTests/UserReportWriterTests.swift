import Foundation
import WorkbenchAPI
import XCTest

@testable import UserReport

final class UserReportWriterTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("user-report-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Files

    func testWrite_Classification_WritesMarkdownFirst_AndEveryChart() throws {
        let urls = try UserReportWriter.write(
            ReportFixtures.classification(), to: directory.appendingPathComponent("a/b"))
        XCTAssertEqual(
            urls.map(\.lastPathComponent),
            ["README.md", "loss.svg", "preference.svg", "coldstart.svg", "headmap-adapter.svg"])
        for url in urls { XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), url.path) }
        try assertChartsParse_AndAreLinked(urls)
    }

    func testWrite_Generation_WritesOnlyTheChartsItHasData_For() throws {
        let urls = try UserReportWriter.write(ReportFixtures.generation(), to: directory)
        XCTAssertEqual(
            urls.map(\.lastPathComponent), ["README.md", "preference.svg"], "no losses, no cold start, no head map")
        try assertChartsParse_AndAreLinked(urls)
        let markdown = try String(contentsOf: urls[0], encoding: .utf8)
        XCTAssertFalse(markdown.contains("coldstart.svg"))
        XCTAssertFalse(markdown.contains("loss.svg"))
        XCTAssertTrue(markdown.contains("Mean length of the items' title: 4.0 words."))
        XCTAssertTrue(markdown.contains("u0007 has no heads of their own yet"))
        XCTAssertTrue(markdown.contains("No candidates were sampled for this question."))
        XCTAssertTrue(
            markdown.contains("| g2 | Article 2 text · Four word title 2 | 1 | 3 | 2 |"),
            "a retrieved item is shown with its text from the history")
        let preference = XMLCheck.parse(try String(contentsOf: urls[1], encoding: .utf8))
        XCTAssertTrue(preference.text.contains("shared words"), "a generation head's chart shows feature correlations")
    }

    /// Every SVG written is well-formed XML without non-finite numbers, and the Markdown links it.
    private func assertChartsParse_AndAreLinked(_ urls: [URL], line: UInt = #line) throws {
        let markdown = try String(contentsOf: urls[0], encoding: .utf8)
        for url in urls.dropFirst() {
            let svg = try String(contentsOf: url, encoding: .utf8)
            XCTAssertNil(XMLCheck.parse(svg).error, url.lastPathComponent, line: line)
            XCTAssertNoNonFiniteNumbers(svg, line: line)
            XCTAssertTrue(
                markdown.contains("](\(url.lastPathComponent))"), "README.md links \(url.lastPathComponent)", line: line
            )
        }
    }

    // MARK: - Contents

    func testMarkdown_HasTheKeyFacts() throws {
        let markdown = try markdown(of: ReportFixtures.classification())
        XCTAssertTrue(markdown.hasPrefix("# Report for user u0042\n"))
        XCTAssertTrue(markdown.contains("Session **demo &lt;movies&gt;** · task **LaMP\\_2**"))
        XCTAssertTrue(markdown.contains("8 items in the profile."))
        XCTAssertTrue(
            markdown.contains("| comedy | 4 | 50% |"), "the most frequent tag first, with its count and share")
        XCTAssertTrue(markdown.contains("## Question q1"))
        XCTAssertTrue(markdown.contains("**Gold:** action"))
        XCTAssertTrue(
            markdown.contains(
                "| p1 | comedy · A film number 1 about things | 1 | 3 | 2 | 7.25 | 0.400 | 0.550 | **personal** | 1 |"),
            "a retrieved item's BM25, base and personal rank side by side, and the prompt it went into")
        XCTAssertTrue(
            markdown.contains("| 1 | action | 0.300 | 0.900 | 1.000 | **personal** |"), "the personal pick is marked")
        XCTAssertTrue(markdown.contains("| 2 | comedy | 0.800 | 0.200 | 0.000 | **base** |"), "the base pick is marked")
        XCTAssertTrue(markdown.contains("| hydra | action | 1.000 | p3, p1 |"))
        XCTAssertTrue(markdown.contains("**+0.250**"), "the user's Δ")
        XCTAssertTrue(markdown.contains("favourites: comedy, action"))
        XCTAssertTrue(markdown.contains("**0.830**"), "the latent preference's recovery score")
        XCTAssertTrue(markdown.contains("| q1 | p3 | 0.200 | 0.700 | +0.500 |"), "what moves most")
        XCTAssertTrue(markdown.contains("| 20 | – | – | – | 0 |"), "a cold start size without results")
        XCTAssertTrue(markdown.contains("Base only: 0.300 · RAG: 0.450"))
    }

    func testMarkdown_Rating_ListsEveryScoreInOrder() throws {
        var data = ReportFixtures.classification()
        data.task = TaskInfo(
            name: "LaMP_3", family: "rating", primaryMetric: "mae", higherIsBetter: false, profileFields: ["text", "score"],
            answerField: "score")
        data.user.profile = ["5", "4", "1", "5", "5"].enumerated().map {
            ProfileEntry(id: "r\($0.offset)", fields: ["text": "review", "score": $0.element])
        }
        let markdown = try markdown(of: data)
        let rows = ["| 1 | 1 | 20% | ████ |", "| 4 | 1 | 20% | ████ |", "| 5 | 3 | 60% | ████████████ |"]
        let positions = try rows.map { try XCTUnwrap(markdown.range(of: $0), $0).lowerBound }
        XCTAssertEqual(positions, positions.sorted(), "scores in numeric order, not by count")
        XCTAssertTrue(markdown.contains("lower is better"))
    }

    func testMarkdown_EscapesHostileText_AndKeepsTablesWhole() throws {
        let markdown = try markdown(of: ReportFixtures.classification())
        XCTAssertFalse(markdown.contains("<script>"))
        XCTAssertFalse(markdown.contains("\u{1B}"))
        XCTAssertTrue(markdown.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt; a \\| b \\[31mred &amp; 'quoted'"))
        for table in tables(in: markdown) {
            let widths = Set(table.map(cellCount))
            XCTAssertEqual(
                widths.count, 1, "every row of a table has the header's cells:\n" + table.joined(separator: "\n"))
        }
    }

    func testCharts_EscapeHostileText_AndSkipNaN() throws {
        let files = UserReportWriter.files(for: ReportFixtures.classification())
        for file in files where file.name.hasSuffix(".svg") {
            XCTAssertFalse(file.contents.contains("<script>"), file.name)
            XCTAssertFalse(file.contents.contains("\u{1B}"), file.name)
            XCTAssertNoNonFiniteNumbers(file.contents)
        }
        let preference = try XCTUnwrap(files.first { $0.name == "preference.svg" })
        XCTAssertTrue(preference.contents.contains("&lt;script&gt;"), "the hostile label is there, escaped")
        let loss = XMLCheck.parse(try XCTUnwrap(files.first { $0.name == "loss.svg" }).contents)
        XCTAssertEqual(
            loss.names("polyline").count, 3, "the reranker curve breaks at its NaN; the adapter's ends before its inf")
        let coldStart = XMLCheck.parse(try XCTUnwrap(files.first { $0.name == "coldstart.svg" }).contents)
        let bands = coldStart.names("polygon").map { $0["points"]?.split(separator: " ").count }
        XCTAssertEqual(bands, [4], "one band over sizes 5 and 10; size 20 has no values, so 40 stands alone")
    }

    // MARK: - Errors

    func testWrite_IntoAFile_NamesIt() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try UserReportWriter.write(ReportFixtures.generation(), to: file)) { error in
            XCTAssertEqual(error as? UserReportError, .notADirectory(path: file.path))
            XCTAssertTrue("\(error)".contains(file.path))
        }
        let below = file.appendingPathComponent("report")
        XCTAssertThrowsError(try UserReportWriter.write(ReportFixtures.generation(), to: below)) { error in
            XCTAssertEqual(
                error as? UserReportError, .cannotCreateDirectory(path: below.path, reason: "\(file.path) is a file"))
        }
    }

    func testWrite_AChartNameTakenByADirectory_NamesTheFile_AndWritesNoMarkdown() throws {
        let blocker = directory.appendingPathComponent("preference.svg")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        XCTAssertThrowsError(try UserReportWriter.write(ReportFixtures.generation(), to: directory)) { error in
            XCTAssertEqual(
                error as? UserReportError,
                .cannotWrite(path: blocker.path, reason: "a directory of that name is in the way"))
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.md").path),
            "no Markdown that links a chart which was not written")
    }

    func testWrite_ReplacesAnEarlierReport_ButNoOtherReadme() throws {
        try UserReportWriter.write(ReportFixtures.classification(), to: directory)
        let urls = try UserReportWriter.write(ReportFixtures.generation(), to: directory)
        XCTAssertTrue(try String(contentsOf: urls[0], encoding: .utf8).hasPrefix("# Report for user u0007"))

        let readme = directory.appendingPathComponent("README.md")
        try Data("# My project\n".utf8).write(to: readme)
        XCTAssertThrowsError(try UserReportWriter.write(ReportFixtures.generation(), to: directory)) { error in
            XCTAssertEqual(error as? UserReportError, .wouldOverwrite(path: readme.path))
        }
        XCTAssertEqual(
            try String(contentsOf: readme, encoding: .utf8), "# My project\n", "the project's README is untouched")
    }

    func testMarkdownText_LeadingListMarkers_StayText() {
        XCTAssertEqual(Markdown.text("- not a list"), "\\- not a list")
        XCTAssertEqual(Markdown.text("a - b"), "a - b")
    }

    // MARK: - Helpers

    private func markdown(of data: UserReportData) throws -> String {
        try XCTUnwrap(UserReportWriter.files(for: data).first { $0.name == "README.md" }).contents
    }

    /// The Markdown's tables, as runs of lines that start with `|`.
    private func tables(in markdown: String) -> [[String]] {
        var tables: [[String]] = [[]]
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("|") {
                tables[tables.count - 1].append(String(line))
            } else if !tables[tables.count - 1].isEmpty {
                tables.append([])
            }
        }
        return tables.filter { !$0.isEmpty }
    }

    /// Cells of a table row: pipes not escaped with a backslash, minus the outer two.
    private func cellCount(_ row: String) -> Int {
        var count = 0
        var escaped = false
        for character in row {
            if character == "|" && !escaped { count += 1 }
            escaped = character == "\\" && !escaped
        }
        return count - 1
    }
}
