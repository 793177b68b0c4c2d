import Foundation
import TUI
import XCTest

final class KeymapTests: XCTestCase {
    let table = ActionTable.standard

    func testLookup_ScreenBindingsFirst_ThenGlobal() {
        XCTAssertEqual(table.action(for: .char("s"), in: .users), .cycleSort)
        XCTAssertNil(table.action(for: .char("s"), in: .user))
        XCTAssertEqual(table.action(for: .char("+"), in: .user), .moreResults)
        XCTAssertEqual(table.action(for: .char("j"), in: .training), .moveDown)
        XCTAssertEqual(table.action(for: .right, in: .users), .open)
        XCTAssertNil(table.action(for: .right, in: .results))
    }

    func testVimKeysAndArrows_MapToTheSameActions() {
        for (a, b) in [(Key.char("j"), Key.down), (.char("k"), .up), (.char("g"), .home), (.char("G"), .end)] {
            XCTAssertEqual(table.action(for: a, in: nil), table.action(for: b, in: nil))
        }
    }

    func testCommands_AndKeys_ComeFromTheSameRows() {
        XCTAssertEqual(table.action(forCommand: "run"), .runPipeline)
        XCTAssertEqual(table.action(forCommand: "cancel"), .cancelRun)
        XCTAssertEqual(table.action(forCommand: "training"), .showTraining)
        for name in ["users", "user", "run", "cancel", "training", "results", "save-screen", "export-loss"] {
            XCTAssertTrue(table.commandNames.contains(name), name)
        }
    }

    func testEveryAction_IsReachableByAKeyOrACommand() {
        for action in Action.allCases {
            XCTAssertTrue(table.bindings.contains { $0.action == action && (!$0.keys.isEmpty || $0.command != nil) }, "\(action) is unreachable")
        }
    }

    func testNoKeyIsBoundTwiceInOneScope() {
        for scope in ActionScope.allCases {
            let keys = table.bindings.filter { $0.scope == scope }.flatMap(\.keys)
            XCTAssertEqual(keys.count, Set(keys).count, "duplicate key in \(scope)")
        }
    }

    /// The README's key table is generated from the action table; re-generate it with
    /// RECORD_README=1 when bindings change.
    func testREADMEKeyTable_EqualsTheActionTable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        var readme = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- keys:begin (generated from ActionTable.standard; RECORD_README=1 swift test --filter KeymapTests) -->\n"
        let end = "<!-- keys:end -->"
        guard let start = readme.range(of: begin), let stop = readme.range(of: end, range: start.upperBound..<readme.endIndex) else {
            return XCTFail("README.md lacks the key table markers")
        }
        let current = String(readme[start.upperBound..<stop.lowerBound])
        let expected = table.markdown()
        if ProcessInfo.processInfo.environment["RECORD_README"] == "1" {
            readme.replaceSubrange(start.upperBound..<stop.lowerBound, with: expected)
            try readme.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(current, expected, "README key table is stale: RECORD_README=1 swift test --filter KeymapTests")
    }

    func testKeyLabels() {
        XCTAssertEqual(Key.char(" ").label, "Space")
        XCTAssertEqual(Key.ctrl("c").label, "C-c")
        XCTAssertEqual(Key.function(1).label, "F1")
    }
}
