import TUI
import XCTest

final class TextTests: XCTestCase {
    // MARK: - Display width

    func testDisplayWidth_ASCII_CJK_Emoji_Combining() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("東京"), 4)
        XCTAssertEqual(DisplayWidth.of("한국어"), 6)
        XCTAssertEqual(DisplayWidth.of("🎬"), 2)
        XCTAssertEqual(DisplayWidth.of("👩‍👩‍👧"), 2, "a ZWJ family is one wide grapheme")
        XCTAssertEqual(DisplayWidth.of("❤️"), 2, "VS16 asks for emoji presentation")
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "combining acute adds nothing")
        XCTAssertEqual(DisplayWidth.of(Character("\u{301}")), 0)
        XCTAssertEqual(DisplayWidth.of("ｆｕｌｌ"), 8, "fullwidth forms")
        XCTAssertEqual(DisplayWidth.of("\u{200B}"), 0)
    }

    func testTruncate_CountsColumns_AndDoesNotSplitWideCharacters() {
        XCTAssertEqual(DisplayWidth.truncate("東京の夏", to: 5), "東京…")
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 3), "abc")
        XCTAssertEqual(DisplayWidth.truncate("abcd", to: 3), "ab…")
    }

    // MARK: - Canvas

    func testCanvas_WideCharacterTakesTwoCells_AndOverwritingHalfBlanksTheOther() {
        var canvas = Canvas(size: Size(width: 6, height: 1))
        XCTAssertEqual(canvas.put("a東b", x: 0, y: 0, role: .normal), 4)
        XCTAssertEqual(canvas.row(0), "a東b")
        XCTAssertTrue(canvas[2, 0].isContinuation)
        canvas.put("x", x: 2, y: 0, role: .normal)
        XCTAssertEqual(canvas.row(0), "a xb")
    }

    func testCanvas_WideCharacterThatDoesNotFit_IsNotDrawn() {
        var canvas = Canvas(size: Size(width: 3, height: 1))
        XCTAssertEqual(canvas.put("ab東", x: 0, y: 0, role: .normal), 2)
        XCTAssertEqual(canvas.row(0), "ab")
    }

    func testCanvas_ChangedRuns_OnlyDifferingCells() {
        var front = Canvas(size: Size(width: 10, height: 2))
        front.put("hello", x: 0, y: 0, role: .normal)
        var back = front
        back.put("J", x: 0, y: 0, role: .normal)
        back.put("!", x: 9, y: 1, role: .error)
        let runs = back.changedRuns(since: front)
        XCTAssertEqual(runs.map { [$0.x, $0.y, $0.cells.count] }, [[0, 0, 1], [9, 1, 1]])
        XCTAssertEqual(back.changedRuns(since: back), [])
        XCTAssertEqual(back.changedRuns(since: nil).count, 2, "no front buffer: every row")
    }

    func testMemoryTerminal_SecondIdenticalFrame_WritesNothing() {
        let terminal = MemoryTerminal(size: Size(width: 80, height: 24))
        let canvas = render(loadedModel(Size(width: 80, height: 24)))
        terminal.present(canvas, cursor: nil)
        XCTAssertEqual(terminal.cellsWrittenLastPresent, 80 * 24)
        terminal.present(canvas, cursor: nil)
        XCTAssertEqual(terminal.cellsWrittenLastPresent, 0)
        var model = loadedModel(Size(width: 80, height: 24))
        feed(&model, keys(.char("j")))
        let moved = render(model)
        terminal.present(moved, cursor: nil)
        XCTAssertGreaterThan(terminal.cellsWrittenLastPresent, 0)
        XCTAssertLessThan(terminal.cellsWrittenLastPresent, 3 * 80)
    }

    // MARK: - Wrapping and highlighting

    func testWrap_BreaksAtSpaces_ByDisplayWidth() {
        XCTAssertEqual(TextWrap.wrap("the quick brown fox", width: 10), ["the quick", "brown fox"])
        XCTAssertEqual(TextWrap.wrap("東京 東京 東京", width: 9), ["東京 東京", "東京"])
        XCTAssertEqual(TextWrap.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(TextWrap.wrap("a\nb", width: 4), ["a", "b"])
        for line in TextWrap.wrap("東京の夏 🎆 two strangers meet at a summer festival", width: 7) {
            XCTAssertLessThanOrEqual(DisplayWidth.of(line), 7, line)
        }
    }

    func testHighlight_MarksWholeWordsCaseInsensitively() {
        let spans = TextWrap.highlight("A Robot, robots and a space-station", terms: ["robot", "space"])
        XCTAssertEqual(spans.filter { $0.role == .highlight }.map(\.text), ["Robot", "robots", "space"])
        XCTAssertEqual(spans.map(\.text).joined(), "A Robot, robots and a space-station")
        XCTAssertEqual(TextWrap.highlight("to be", terms: ["t"]).filter { $0.role == .highlight }, [])
    }

    // MARK: - Plots

    func testSparkline_ScalesBetweenMinAndMax() {
        XCTAssertEqual(Plot.sparkline([0, 1, 2, 3, 4, 5, 6, 7], width: 8), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Plot.sparkline([1, 2, 3], width: 2), "▁█")
        XCTAssertEqual(Plot.sparkline([], width: 5), "")
    }

    func testBraillePlot_RisingLine_FillsBottomLeftAndTopRight() {
        let lines = Plot.braille([0, 1], width: 2, height: 1)
        XCTAssertEqual(lines.count, 1)
        let cells = Array(lines[0].unicodeScalars).map { $0.value - 0x2800 }
        XCTAssertEqual(cells.count, 2)
        XCTAssertNotEqual(cells[0] & 0x40, 0, "first column starts at the bottom dot")
        XCTAssertNotEqual(cells[1] & 0x08, 0, "last column reaches the top dot")
        XCTAssertEqual(Plot.braille([3, 3, 3], width: 4, height: 2).count, 2)
    }
}
