import WorkbenchAPI
import XCTest
@testable import hydra

/// Text from the data printed by the command line cannot drive the terminal.
final class TerminalTextTests: XCTestCase {
    let hostile = "a\u{1B}[2J\u{1B}]0;owned\u{07}b\u{0}c\u{9B}31md\u{7F}e"

    func testControlCharactersBecomeVisible() {
        XCTAssertEqual(TerminalText.line(hostile), "a·[2J·]0;owned·b·c·31md·e")
        XCTAssertEqual(TerminalText.line("one\ttwo\r\nthree"), "one two  three")
        XCTAssertEqual(TerminalText.block("one\ttwo\r\nthree\u{1B}"), "one\ttwo\nthree·")
        XCTAssertEqual(TerminalText.block("plain text, ünïcode 日本"), "plain text, ünïcode 日本")
    }

    func testTablesSanitizeEveryCellAndKeepOneLinePerRow() {
        var table = TextTable(header: ["id", "text"])
        table.rows = [["1", hostile], ["2", "line\nbreak"]]
        let lines = table.render().split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertFalse(table.render().unicodeScalars.contains { $0.value == 0x1B || $0.value == 0 || $0.value == 0x9B })
        XCTAssertTrue(lines[3].hasSuffix("line break"))
    }
}
