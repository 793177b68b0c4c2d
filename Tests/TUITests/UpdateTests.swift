import TUI
import XCTest

final class UpdateTests: XCTestCase {
    // MARK: - Loading

    func testStart_IssuesLoadCommand_AndShowsLoading() {
        let (model, commands) = start(AppModel(size: Size(width: 100, height: 30)))
        XCTAssertEqual(commands.first, .loadSession(task: 1))
        XCTAssertEqual(model.running[1], "loading session")
        XCTAssertEqual(model.session, .loading(fraction: 0, label: "starting"))
    }

    func testLoadProgress_UpdatesFraction_ThenLoadedListsUsersSortedById() {
        let (started, _) = start(AppModel(size: Size(width: 100, height: 30)))
        let (progressed, _) = update(started, .loadProgress(task: 1, fraction: 0.5, label: "half"))
        XCTAssertEqual(progressed.session, .loading(fraction: 0.5, label: "half"))
        let (loaded, _) = update(progressed, .sessionLoaded(task: 1, data: FakeBackend.sample))
        XCTAssertEqual(loaded.session, .loaded)
        XCTAssertTrue(loaded.running.isEmpty)
        XCTAssertEqual(loaded.visibleUsers.map { FakeBackend.sample.users[$0].id }, ["42", "310", "1007"])
    }

    func testLoadFailed_ShowsErrorInStatus() {
        let (started, _) = start(AppModel(size: Size(width: 100, height: 30)))
        let (failed, _) = update(started, .loadFailed(task: 1, message: "no such directory /x"))
        XCTAssertEqual(failed.session, .failed("no such directory /x"))
        XCTAssertTrue(failed.statusIsError)
        XCTAssertEqual(failed.statusMessage, "loading failed: no such directory /x")
    }

    func testLoadResultOfUnknownTask_IsIgnored() {
        let (started, _) = start(AppModel(size: Size(width: 100, height: 30)))
        let (model, _) = update(started, .sessionLoaded(task: 99, data: FakeBackend.sample))
        XCTAssertNil(model.data)
    }

    // MARK: - Navigation

    func testMoveDown_WithVimKeyAndArrow_MovesCursor() {
        let (model, _) = feed(loadedModel(), keys(.char("j"), .down))
        XCTAssertEqual(model.usersList.cursor, 2)
        let (back, _) = feed(model, keys(.char("k")))
        XCTAssertEqual(back.usersList.cursor, 1)
        let (clamped, _) = feed(back, keys(.up, .up, .up))
        XCTAssertEqual(clamped.usersList.cursor, 0)
    }

    func testEnter_OpensUser_AndRequestsRetrievalForFirstQuestion() {
        let (model, commands) = feed(loadedModel(), keys(.char("j"), .enter))
        XCTAssertEqual(model.screen, .user(0))  // "310" is second when sorted by id
        XCTAssertEqual(model.focus, .questions)
        XCTAssertEqual(commands, [.retrieve(task: 2, userIndex: 0, questionIndex: 0, k: 10)])
        XCTAssertEqual(model.retrieval?.status, .pending)
    }

    func testMovingQuestion_CancelsPendingRetrieval_AndStartsNewOne() {
        let (model, commands) = feed(loadedModel(), keys(.char("j"), .enter, .char("j")))
        XCTAssertEqual(commands.suffix(2), [.cancel(task: 2), .retrieve(task: 3, userIndex: 0, questionIndex: 1, k: 10)])
        XCTAssertNil(model.running[2])
        // the late result of the cancelled task is dropped
        let items = [RetrievedItem(rank: 1, profileIndex: 0, score: 1, matchedTerms: [])]
        let (after, _) = update(model, .retrieved(task: 2, userIndex: 0, questionIndex: 0, items: items))
        XCTAssertEqual(after.retrieval?.status, .pending)
        XCTAssertEqual(after.retrieval?.items, [])
    }

    func testRetrievedResults_AreStored() {
        let (opened, commands) = feed(loadedModel(), keys(.char("j"), .enter))
        let model = answer(opened, commands)
        XCTAssertEqual(model.retrieval?.status, .done)
        XCTAssertEqual(model.retrieval?.items.first?.profileIndex, 2)  // the robot in space
        XCTAssertTrue(model.running.isEmpty)
    }

    func testTab_CyclesFocusThroughUserPanes_ShiftTabGoesBack() {
        let (opened, _) = feed(loadedModel(), keys(.enter))
        XCTAssertEqual(opened.focus, .questions)
        XCTAssertEqual(feed(opened, keys(.tab)).0.focus, .retrieved)
        XCTAssertEqual(feed(opened, keys(.tab, .tab)).0.focus, .profile)
        XCTAssertEqual(feed(opened, keys(.backTab)).0.focus, .profile)
    }

    func testEscape_GoesBackToUsers() {
        let (model, _) = feed(loadedModel(), keys(.enter, .escape))
        XCTAssertEqual(model.screen, .users)
        XCTAssertEqual(model.focus, .users)
    }

    func testMoreResults_RaisesK_AndRetrievesAgain() {
        let (opened, first) = feed(loadedModel(), keys(.enter))
        let (model, commands) = feed(answer(opened, first), keys(.char("+")))
        XCTAssertEqual(model.k, 15)
        XCTAssertEqual(commands, [.retrieve(task: 3, userIndex: 1, questionIndex: 0, k: 15)])
    }

    // MARK: - Sorting and filtering

    func testSortKeys_CycleColumnAndReverse() {
        let (bySize, _) = feed(loadedModel(), keys(.char("s")))
        XCTAssertEqual(bySize.sort, .profile)
        XCTAssertEqual(bySize.visibleUsers, [2, 1, 0])
        let (reversed, _) = feed(bySize, keys(.char("S")))
        XCTAssertEqual(reversed.visibleUsers, [0, 1, 2])
    }

    func testFilter_MatchesIdOrProfileText_EscClears() {
        let (byText, _) = feed(loadedModel(), keys(.char("/"), .char("h"), .char("e"), .char("i"), .char("s")))
        XCTAssertTrue(byText.filterEditing)
        XCTAssertEqual(byText.visibleUsers, [1])  // "heist" is only in bob's profile
        let (byID, _) = feed(loadedModel(), keys(.char("/"), .char("1"), .char("0"), .char("0"), .enter))
        XCTAssertFalse(byID.filterEditing)
        XCTAssertEqual(byID.visibleUsers, [2])
        let (cleared, _) = feed(byID, keys(.escape))
        XCTAssertEqual(cleared.visibleUsers.count, 3)
    }

    // MARK: - Quit, help, themes

    func testQuit_WithoutWork_QuitsImmediately() {
        let (model, commands) = feed(loadedModel(), keys(.char("q")))
        XCTAssertTrue(model.quitting)
        XCTAssertEqual(commands, [.quit])
    }

    func testQuit_WhileLoading_AsksFirst_NoKeepsRunning_YesCancels() {
        let (loading, _) = start(AppModel(size: Size(width: 100, height: 30)))
        let (asked, none) = feed(loading, keys(.char("q")))
        XCTAssertEqual(asked.overlay, .confirmQuit)
        XCTAssertEqual(none, [])
        let (kept, _) = feed(asked, keys(.char("n")))
        XCTAssertNil(kept.overlay)
        XCTAssertFalse(kept.quitting)
        let (quit, commands) = feed(asked, keys(.char("y")))
        XCTAssertTrue(quit.quitting)
        XCTAssertEqual(commands, [.cancel(task: 1), .quit])
    }

    func testHelp_OpensAndCloses() {
        let (open, _) = feed(loadedModel(Size(width: 80, height: 24)), keys(.char("?")))
        XCTAssertEqual(open.overlay, .help(scroll: 0))
        XCTAssertEqual(feed(open, keys(.char("j"))).0.overlay, .help(scroll: 1))
        XCTAssertNil(feed(open, keys(.escape)).0.overlay)
    }

    func testHelpScroll_StopsAtLastPage_OnSmallScreen() {
        let (open, _) = feed(loadedModel(Size(width: 80, height: 24)), keys(.char("?")))
        let (bottom, _) = feed(open, keys(.end))
        let lines = KeyBindings.standard.helpLines().count
        XCTAssertEqual(bottom.overlay, .help(scroll: lines - 20))
        XCTAssertEqual(feed(bottom, keys(.char("j"))).0.overlay, .help(scroll: lines - 20))
        XCTAssertEqual(feed(bottom, keys(.char("k"))).0.overlay, .help(scroll: lines - 21))
        let canvas = render(bottom)
        XCTAssertTrue(canvas.contains(Action.fewerResults.description), "the last line is visible")
    }

    func testThemeKey_CyclesThemes_AndAppliesIt() {
        let light = Theme(name: "light", styles: [:])
        let model = AppModel(size: Size(width: 100, height: 30), themes: [.defaultDark, light])
        let (next, commands) = feed(model, keys(.char("t")))
        XCTAssertEqual(next.theme.name, "light")
        XCTAssertEqual(commands, [.applyTheme(light)])
        XCTAssertEqual(next.statusMessage, "theme: light")
    }

    // MARK: - Command line

    func testCommandLine_TabCompletesCommandAndArgument_EnterRuns() {
        let themes = [Theme.defaultDark, Theme(name: "mono", styles: [:]), Theme(name: "light", styles: [:])]
        var model = loadedModel()
        model.themes = themes
        let (typed, _) = feed(model, keys(.char(":"), .char("t"), .char("h"), .tab))
        XCTAssertEqual(typed.commandLine?.text, "theme ")
        let (listed, _) = feed(typed, keys(.tab))
        XCTAssertEqual(listed.commandLine?.completions, ["default-dark", "mono", "light"])
        let (chosen, _) = feed(listed, keys(.char("m"), .tab))
        XCTAssertEqual(chosen.commandLine?.text, "theme mono")
        let (ran, commands) = feed(chosen, keys(.enter))
        XCTAssertNil(ran.commandLine)
        XCTAssertEqual(ran.theme.name, "mono")
        XCTAssertEqual(commands, [.applyTheme(themes[1])])
    }

    func testCommandLine_UnknownCommand_IsAnError() {
        let (model, _) = feed(loadedModel(), keys(.char(":"), .char("x"), .enter))
        XCTAssertTrue(model.statusIsError)
        XCTAssertEqual(model.statusMessage, "unknown command \"x\" (try Tab)")
    }

    // MARK: - Mouse and resize

    func testMouseClick_SelectsRow_WheelScrolls() {
        let model = loadedModel()
        // users pane starts at row 1: border, header, then rows from y = 3
        let (clicked, _) = feed(model, [.mouse(MouseEvent(kind: .click, position: Point(x: 5, y: 5)))])
        XCTAssertEqual(clicked.usersList.cursor, 2)
        let (wheeled, _) = feed(clicked, [.mouse(MouseEvent(kind: .wheelUp, position: Point(x: 5, y: 5)))])
        XCTAssertEqual(wheeled.usersList.cursor, 0)
    }

    func testResize_KeepsCursorVisible() {
        var users: [WorkbenchUser] = []
        for i in 0..<100 { users.append(WorkbenchUser(id: "\(i)", profile: [], questions: [])) }
        let data = WorkbenchData(task: .movieTag, users: users, title: "many")
        let (model, _) = feed(loadedModel(Size(width: 120, height: 60), data: data), keys(.end))
        XCTAssertEqual(model.usersList.cursor, 99)
        let (small, _) = feed(model, [.resize(Size(width: 80, height: 24))])
        let height = Layout(small).listHeight(.users)
        XCTAssertEqual(small.usersList.scroll, 100 - height)
    }
}
