import TUI
import XCTest

final class KeymapTests: XCTestCase {
    func testLookup_PaneKeymapFirst_ThenGlobal() {
        let keys = KeyBindings.standard
        XCTAssertEqual(keys.action(for: .char("/"), in: .users), .filter)
        XCTAssertNil(keys.action(for: .char("/"), in: .questions))
        XCTAssertEqual(keys.action(for: .char("j"), in: .questions), .moveDown)
        XCTAssertEqual(keys.action(for: .down, in: .retrieved), .moveDown)
        XCTAssertEqual(keys.action(for: .char("+"), in: .retrieved), .moreResults)
    }

    func testVimKeysAndArrows_MapToSameActions() {
        let keys = KeyBindings.standard
        for (vim, arrow) in [(Key.char("j"), Key.down), (.char("k"), .up), (.char("g"), .home), (.char("G"), .end)] {
            XCTAssertEqual(keys.action(for: vim, in: nil), keys.action(for: arrow, in: nil))
        }
    }

    func testHelp_IsGeneratedFromTable_EveryBindingAppears() {
        var keys = KeyBindings.standard
        keys.global.bindings.append((.function(5), .nextTheme))
        let help = keys.helpLines()
        XCTAssertEqual(help.first, "Global")
        XCTAssertTrue(help.contains { $0.contains("t F5") && $0.contains(Action.nextTheme.description) })
        for map in [keys.global] + keys.panes.values.map({ $0 }) {
            XCTAssertTrue(help.contains(map.name))
            for (key, action) in map.bindings {
                XCTAssertTrue(help.contains { $0.contains(key.label) && $0.contains(action.description) }, "\(key) \(action)")
            }
        }
    }

    func testEveryAction_HasADescription_AndIsBound() {
        let bound = Set(([KeyBindings.standard.global] + KeyBindings.standard.panes.values).flatMap { $0.bindings.map(\.action) })
        for action in Action.allCases {
            XCTAssertFalse(action.description.isEmpty)
            XCTAssertTrue(bound.contains(action), "\(action) has no key")
        }
    }

    func testKeyLabels() {
        XCTAssertEqual(Key.backTab.label, "S-Tab")
        XCTAssertEqual(Key.ctrl("c").label, "C-c")
        XCTAssertEqual(Key.function(1).label, "F1")
        XCTAssertEqual(Key.char(" ").label, "Space")
    }
}
