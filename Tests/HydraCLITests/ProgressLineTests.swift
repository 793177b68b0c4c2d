import Foundation
import XCTest
@testable import hydra

/// `hydra run`'s progress when stderr is not a terminal: a plain line every 30 s, never silence.
final class ProgressLineTests: XCTestCase {
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var now = Date(timeIntervalSince1970: 1_000)
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    func testNotATerminal_OneLinePerIntervalWithProgressAndTimeLeft() {
        let recorder = Recorder()
        let progress = ProgressLine(label: "LLM labels", interactive: false, write: recorder.add, clock: { recorder.now })
        progress.update(1, of: 36, unitName: "queries")
        XCTAssertTrue(recorder.all.isEmpty, "nothing before the first interval")
        recorder.now += 31
        progress.update(9, of: 36, unitName: "queries")
        XCTAssertEqual(recorder.all, ["LLM labels: 9/36 queries (25%) after 31s, about 93s left\n"])
        recorder.now += 10
        progress.update(12, of: 36, unitName: "queries")
        XCTAssertEqual(recorder.all.count, 1, "not again within the interval")
        recorder.now += 25
        progress.update(18, of: 36, unitName: "queries")
        XCTAssertEqual(recorder.all.count, 2)
        XCTAssertFalse(recorder.all.joined().contains("\r"), "a log gets no carriage returns")
        progress.finish()
        XCTAssertEqual(recorder.all.count, 2, "nothing to clear")
    }

    func testATerminal_RedrawsInPlaceAndClearsAtTheEnd() {
        let recorder = Recorder()
        let progress = ProgressLine(label: "fit", interactive: true, write: recorder.add, clock: { recorder.now })
        progress.update(2, of: 4)
        XCTAssertTrue(recorder.all.first?.hasPrefix("\rfit ") == true, "\(recorder.all)")
        progress.finish()
        XCTAssertEqual(recorder.all.last, "\r\u{1B}[K")
    }
}
