import TUI
import XCTest

final class ViewTests: XCTestCase {
    // MARK: - Golden screens

    func testUsersScreen_Wide_ShowsTableAndProfilePreview() {
        let model = loadedModel(Size(width: 120, height: 30))
        let canvas = render(model)
        assertGolden(canvas.dump(), "users_120x30")
        XCTAssertNotNil(canvas.find("┏━ Users "))
        XCTAssertNotNil(canvas.find("┌─ Profile "))
    }

    func testUsersScreen_Narrow_ShowsOnlyTable() {
        let canvas = render(loadedModel(Size(width: 80, height: 24)))
        assertGolden(canvas.dump(), "users_80x24")
        XCTAssertFalse(canvas.contains("─ Profile "))
        XCTAssertTrue(canvas.row(23).hasSuffix("? help"))
    }

    func testUserScreen_Wide_SideBySide_WithRetrievedItems() {
        let (opened, commands) = feed(loadedModel(Size(width: 120, height: 30)), keys(.char("j"), .enter))
        let model = answer(opened, commands)
        let canvas = render(model)
        assertGolden(canvas.dump(), "user_120x30")
        let profile = canvas.find("Profile"), retrieved = canvas.find("Retrieved (BM25)")
        XCTAssertEqual(profile?.y, retrieved?.y, "side by side: titles on one row")
    }

    func testUserScreen_Narrow_Stacked() {
        let (opened, commands) = feed(loadedModel(Size(width: 80, height: 24)), keys(.char("j"), .enter))
        let canvas = render(answer(opened, commands))
        assertGolden(canvas.dump(), "user_80x24")
        let profile = canvas.find("Profile"), questions = canvas.find("Questions"), retrieved = canvas.find("Retrieved (BM25)")
        XCTAssertLessThan(profile?.y ?? 99, questions?.y ?? 0)
        XCTAssertLessThan(questions?.y ?? 99, retrieved?.y ?? 0)
    }

    func testLoadingScreen_ShowsProgress() {
        let (started, _) = start(AppModel(size: Size(width: 80, height: 24)))
        let (model, _) = update(started, .loadProgress(task: 1, fraction: 0.4, label: "reading user 2"))
        let canvas = render(model)
        assertGolden(canvas.dump(), "loading_80x24")
        XCTAssertTrue(canvas.contains("40%"))
    }

    func testFailedLoad_ShowsTheError() {
        let (started, _) = start(AppModel(size: Size(width: 80, height: 24)))
        let (model, _) = update(started, .loadFailed(task: 1, message: "LaMP directory /data/x has no questions file"))
        let canvas = render(model)
        assertGolden(canvas.dump(), "failed_80x24")
        XCTAssertTrue(canvas.contains("has no questions file"))
    }

    func testHelpOverlay_ListsEveryGlobalAction() {
        let (model, _) = feed(loadedModel(Size(width: 100, height: 40)), keys(.char("?")))
        let canvas = render(model)
        assertGolden(canvas.dump(), "help_100x40")
        for (_, action) in KeyBindings.standard.global.bindings {
            XCTAssertTrue(canvas.contains(action.description), "help lacks \(action)")
        }
    }

    func testCommandLine_ShowsTextAndCompletions() {
        let (model, _) = feed(loadedModel(Size(width: 80, height: 24)), keys(.char(":"), .tab))
        let canvas = render(model)
        XCTAssertTrue(canvas.row(23).hasPrefix(":"))
        XCTAssertTrue(canvas.row(22).contains("filter  help  k  quit  sort  theme  users"))
        XCTAssertEqual(cursorPosition(model), Point(x: 1, y: 23))
    }

    func testLayout_SideBySideFrom120Columns_StackedBelow() {
        let wide = feed(loadedModel(Size(width: 120, height: 30)), keys(.enter)).0
        let narrow = feed(loadedModel(Size(width: 119, height: 30)), keys(.enter)).0
        let w = Layout(wide), n = Layout(narrow)
        XCTAssertEqual(w.panes[.profile]?.y, w.panes[.retrieved]?.y)
        XCTAssertLessThan(w.panes[.profile]?.x ?? 0, w.panes[.retrieved]?.x ?? 0)
        XCTAssertEqual(n.panes[.profile]?.x, n.panes[.retrieved]?.x)
        XCTAssertLessThan(n.panes[.questions]?.y ?? 99, n.panes[.retrieved]?.y ?? 0)
        for layout in [w, n] {
            let rects = Array(layout.panes.values)
            for (i, a) in rects.enumerated() {
                for b in rects[(i + 1)...] {
                    let overlaps = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
                    XCTAssertFalse(overlaps, "\(a) overlaps \(b)")
                }
            }
        }
    }

    // MARK: - Too small

    func testTooSmall_ShowsMessage_AndGrowingRestoresScreen() {
        let model = loadedModel(Size(width: 120, height: 30))
        let (small, _) = update(model, .resize(Size(width: 70, height: 20)))
        let smallCanvas = render(small)
        assertGolden(smallCanvas.dump(), "too_small_70x20")
        XCTAssertTrue(smallCanvas.contains("terminal too small (needs 80×24)"))
        XCTAssertFalse(smallCanvas.contains("Users"))
        let (grown, _) = update(small, .resize(Size(width: 80, height: 24)))
        let grownCanvas = render(grown)
        XCTAssertFalse(grownCanvas.contains("terminal too small"))
        XCTAssertTrue(grownCanvas.contains("Users"))
    }

    func testTooSmall_OneDimensionBelowMinimum_IsTooSmall() {
        XCTAssertTrue(render(loadedModel(Size(width: 120, height: 23))).contains(tooSmallMessage))
        XCTAssertTrue(render(loadedModel(Size(width: 79, height: 40))).contains(tooSmallMessage))
        XCTAssertFalse(render(loadedModel(Size(width: 80, height: 24))).contains(tooSmallMessage))
    }

    // MARK: - Styles

    func testRetrievedItem_MatchedTermsAreHighlighted() {
        let (opened, commands) = feed(loadedModel(Size(width: 120, height: 30)), keys(.char("j"), .enter))
        let canvas = render(answer(opened, commands))
        // the first hit is "A robot learns to love on a dying space station" matching robot, space
        guard let robot = canvas.find("robot") else { return XCTFail("no robot on screen") }
        XCTAssertEqual(canvas[robot.x, robot.y].role, .highlight)
        guard let learns = canvas.find("learns") else { return XCTFail("no 'learns' on screen") }
        XCTAssertNotEqual(canvas[learns.x, learns.y].role, .highlight)
    }

    func testFocusedSelection_KeepsMatchedTermsMarked() {
        let (opened, commands) = feed(loadedModel(Size(width: 120, height: 30)), keys(.char("j"), .enter))
        let (focused, _) = feed(answer(opened, commands), keys(.tab))
        XCTAssertEqual(focused.focus, .retrieved)
        let canvas = render(focused)
        guard let robot = canvas.find("robot") else { return XCTFail("no robot on screen") }
        XCTAssertEqual(canvas[robot.x, robot.y].role, .selectionHighlight)
        XCTAssertEqual(canvas[robot.x - 3, robot.y].role, .selection)  // the "]" of "[sci-fi] A robot"
    }

    func testFocusedPane_HasFocusedBorderRole() {
        let canvas = render(loadedModel())
        guard let corner = canvas.find("┏") else { return XCTFail("no focused border") }
        XCTAssertEqual(canvas[corner.x, corner.y].role, .focusedBorder)
    }

    func testStatusBar_NamesSessionAndHelpKey() {
        let canvas = render(loadedModel(Size(width: 80, height: 24)))
        XCTAssertTrue(canvas.row(23).contains("demo"))
        XCTAssertTrue(canvas.row(23).contains("? help"))
        XCTAssertEqual(canvas[2, 23].role, .status)
    }
}
