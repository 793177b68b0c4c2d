import Foundation
import TUI
import XCTest

final class RuntimeTests: XCTestCase {
    /// Runs the real main loop on a memory terminal; `script` decides what to type whenever
    /// input runs out, and gives up (force quit) after `timeout` seconds.
    private func runApp(
        backend: FakeBackend, size: Size = Size(width: 100, height: 30), timeout: Double = 10,
        script: @escaping (MemoryTerminal) -> Void
    ) throws -> MemoryTerminal {
        let terminal = MemoryTerminal(size: size)
        let deadline = MonotonicClock.seconds() + timeout
        var timedOut = false
        terminal.onIdle = { term in
            if MonotonicClock.seconds() > deadline {
                timedOut = true
                term.type(.ctrl("c"))
                return
            }
            script(term)
        }
        try WorkbenchApp.runBlocking(terminal: terminal, backend: backend, theme: .defaultDark)
        XCTAssertFalse(timedOut, "the script did not finish; last screen:\n\(terminal.dump())")
        XCTAssertFalse(terminal.entered, "terminal left on quit")
        return terminal
    }

    func testRun_LoadsOpensUserRetrievesAndQuits() throws {
        var step = 0
        var sawRetrieval = false
        let terminal = try runApp(backend: FakeBackend()) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.type(.char("j"), .enter)
                step = 1
            case 1 where term.screen.contains("5.00"):  // the top score is on screen
                sawRetrieval = term.screen.contains("Retrieved (BM25)") && term.screen.contains("robot learns")
                term.type(.char("q"))
                step = 2
            default:
                break
            }
        }
        XCTAssertTrue(sawRetrieval)
        XCTAssertEqual(step, 2)
        XCTAssertLessThan(terminal.presentCount, 200, "frames are drawn only when something changed")
    }

    func testRun_UIRespondsWhileLoading_AndQuitAsksFirst() throws {
        var step = 0
        var helpShownWhileLoading = false
        var askedToConfirm = false
        _ = try runApp(backend: FakeBackend(loadDelay: 5)) { term in
            switch step {
            case 0 where term.screen.contains("Loading session"):
                term.type(.char("?"))
                step = 1
            case 1 where term.screen.contains("Help: keys"):
                helpShownWhileLoading = term.screen.contains("loading session")  // the header spinner
                term.type(.escape, .char("q"))
                step = 2
            case 2 where term.screen.contains("Quit anyway?"):
                askedToConfirm = term.screen.contains("loading session")
                term.type(.char("y"))
                step = 3
            default:
                break
            }
        }
        XCTAssertTrue(helpShownWhileLoading)
        XCTAssertTrue(askedToConfirm)
        XCTAssertEqual(step, 3, "quit well before the 5 s load finished")
    }

    func testRun_LoadFailure_IsShown() throws {
        var shown = false
        _ = try runApp(backend: FakeBackend(loadFailure: "file /d/questions.json: not a JSON array")) { term in
            if term.screen.contains("not a JSON array") {
                shown = term.screen.contains("Could not load the session")
                term.type(.char("q"))
            }
        }
        XCTAssertTrue(shown)
    }

    func testRun_ResizeToTooSmallAndBack() throws {
        var step = 0
        var tooSmall = false
        var restored = false
        _ = try runApp(backend: FakeBackend()) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.resize(to: Size(width: 70, height: 20))
                step = 1
            case 1 where term.screen.size.width == 70:
                tooSmall = term.screen.contains(tooSmallMessage)
                term.resize(to: Size(width: 90, height: 30))
                step = 2
            case 2 where term.screen.size.width == 90:
                restored = term.screen.contains("Users") && !term.screen.contains(tooSmallMessage)
                term.type(.char("q"))
                step = 3
            default:
                break
            }
        }
        XCTAssertTrue(tooSmall)
        XCTAssertTrue(restored)
    }

    func testRun_ThemeKey_AppliesThemeToTerminal() throws {
        let light = Theme(name: "light", styles: [.title: TextStyle(foreground: .indexed(4))])
        let terminal = MemoryTerminal(size: Size(width: 100, height: 30))
        var sent = false
        terminal.onIdle = { term in
            if !sent, term.screen.contains("310") {
                term.type(.char("t"), .char("q"))
                sent = true
            }
        }
        try WorkbenchApp.runBlocking(terminal: terminal, backend: FakeBackend(), theme: .defaultDark, themes: [.defaultDark, light])
        XCTAssertEqual(terminal.theme.name, "light")
    }
}
