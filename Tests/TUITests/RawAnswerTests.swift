import TUI
import WorkbenchAPI
import XCTest

/// The outputs screen shows what the LLM wrote beside the cleaned answer when the normaliser
/// changed it, and only then.
final class RawAnswerTests: XCTestCase {
    func testOutputs_ShowTheRawTextBesideTheCleanedAnswer() throws {
        var m = finishedRunModel(Size(width: 120, height: 40))
        let commands = feed(&m, [.key(.char(":"))] + typing("outputs q310a") + keys(.enter))
        var report = try XCTUnwrap(FakeBackend.question(FakeBackend.sample, "q310a"))
        report.outputs[3].rawAnswer = "The tag for this movie is: sci-fi"
        report.candidates[0].raw = "Sure! sci-fi"
        report.candidates[1].raw = "comedy"
        for (id, _) in started(commands) { update(&m, .job(id, JobBatch(end: .result(.question(report))), at: m.now)) }
        let screen = render(m)
        XCTAssertTrue(screen.contains("raw:    The tag for this") && screen.contains("movie is: sci-fi"), screen.dump())
        XCTAssertTrue(screen.contains("sci-fi  ← Sure! sci-fi"))
        XCTAssertFalse(screen.contains("← comedy"), "an unchanged candidate shows once")
    }
}
