import TUI
import WorkbenchAPI
import XCTest

final class UpdateTests: XCTestCase {
    // MARK: - Loading

    func testStart_StartsTheLoadJob_AndShowsLoading() {
        var m = AppModel(size: Size(width: 100, height: 30))
        let commands = start(&m)
        guard case .loadSession? = started(commands).first?.1 else { return XCTFail("no load job in \(commands)") }
        XCTAssertEqual(m.session, .loading(fraction: 0, label: "starting"))
    }

    func testLoadProgress_ThenResult_ListsUsersSortedById() {
        var m = AppModel(size: Size(width: 100, height: 30))
        let (id, _) = started(start(&m))[0]
        update(&m, .job(id, JobBatch(progress: (0.5, "reading")), at: 1))
        XCTAssertEqual(m.session, .loading(fraction: 0.5, label: "reading"))
        update(&m, .job(id, JobBatch(end: .result(.session(FakeBackend.sample))), at: 2))
        XCTAssertEqual(m.session, .loaded)
        guard case .users(let screen) = m.stack.last else { return XCTFail("not on the users screen") }
        XCTAssertEqual(screen.visible.map { FakeBackend.sample.users[$0].id }, ["42", "310", "1007"])
        XCTAssertTrue(m.jobs.isEmpty)
    }

    func testLoadFailure_ShowsTheError() {
        var m = AppModel(size: Size(width: 100, height: 30))
        let (id, _) = started(start(&m))[0]
        update(&m, .job(id, JobBatch(end: .failed("data/x.json: line 3: expected ','")), at: 1))
        XCTAssertEqual(m.session, .failed("data/x.json: line 3: expected ','"))
        XCTAssertTrue(m.statusIsError)
    }

    func testBatchOfAnUnknownJob_IsIgnored() {
        var m = loadedModel()
        let before = m.dataVersion
        update(&m, .job(JobID(999), JobBatch(end: .result(.session(FakeBackend.sample))), at: 5))
        XCTAssertEqual(m.dataVersion, before)
    }

    func testSavedRunInTheStore_ShowsResultsWithoutRunning() {
        var snapshot = FakeBackend.sample
        snapshot.savedRun = FakeBackend.report
        snapshot.savedLosses = [LossSeries(id: LossSeriesID(model: "reranker", userID: nil), losses: [1, 0.5, 0.25])]
        var m = loadedModel(snapshot: snapshot)
        XCTAssertEqual(m.run.status, .finished(saved: true))
        XCTAssertEqual(m.run.losses.curves.first?.steps, 3)
        let commands = feed(&m, keys(.char("4")))
        XCTAssertTrue(started(commands).isEmpty, "showing saved results starts no job")
        XCTAssertEqual(m.route, .results)
    }

    // MARK: - Users and user screens

    func testEnter_OpensUser_AndRetrievesTheFirstQuestion_OwnedByTheUserScreen() {
        var m = loadedModel()
        let commands = feed(&m, keys(.char("j"), .enter))
        XCTAssertEqual(m.route, .user("310"))
        guard let (id, job) = started(commands).first else { return XCTFail("no retrieval") }
        guard case .retrieve("310", "q310a", 10) = job else { return XCTFail("wrong job \(job)") }
        XCTAssertEqual(m.jobs[id]?.owner, .user("310"))
    }

    func testMovingToTheNextQuestion_CancelsThePendingRetrieval() {
        var m = loadedModel()
        let first = started(feed(&m, keys(.char("j"), .enter)))[0].0
        let commands = feed(&m, keys(.char("j")))
        XCTAssertEqual(cancelled(commands), [first])
        guard case .retrieve(_, "q310b", _)? = started(commands).first?.1 else { return XCTFail("no new retrieval") }
    }

    func testRetrievedHits_AreShown_AndAResultForAClosedScreenIsDropped() {
        var m = loadedModel()
        let commands = feed(&m, keys(.char("j"), .enter))
        answer(&m, commands)
        guard case .user(let screen) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(screen.retrieval?.hits.first?.itemID, "a3")

        let next = feed(&m, keys(.char("j")))  // a new retrieval, then leave before it answers
        let closing = feed(&m, keys(.escape))
        XCTAssertEqual(m.route, .users)
        XCTAssertEqual(cancelled(closing), started(next).map(\.0), "closing the screen cancels its job")
        answer(&m, next)  // arrives anyway
        XCTAssertEqual(m.route, .users)
        XCTAssertTrue(m.jobs.isEmpty)
    }

    func testTab_CyclesUserPanes() {
        var m = loadedModel()
        feed(&m, keys(.enter))
        func focus() -> UserScreen.Pane? { if case .user(let s) = m.stack.last { return s.focus } else { return nil } }
        XCTAssertEqual(focus(), .questions)
        feed(&m, keys(.tab))
        XCTAssertEqual(focus(), .retrieved)
        feed(&m, keys(.tab))
        XCTAssertEqual(focus(), .profile)
        feed(&m, keys(.backTab))
        XCTAssertEqual(focus(), .retrieved)
    }

    func testPlus_RaisesK_AndRetrievesAgain() {
        var m = loadedModel()
        answer(&m, feed(&m, keys(.char("j"), .enter)))
        let commands = feed(&m, keys(.char("+")))
        guard case .retrieve(_, _, 15)? = started(commands).first?.1 else { return XCTFail("k not raised: \(commands)") }
    }

    func testSortAndDeltaFilter_UseTheRunsDeltas() {
        var m = finishedRunModel()
        feed(&m, keys(.char("1")))
        feed(&m, [.key(.char(":"))] + typing("sort delta desc") + keys(.enter))
        guard case .users(let sorted) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(sorted.visible.map { FakeBackend.sample.users[$0].id }.prefix(2), ["310", "42"])
        feed(&m, keys(.char("d")))
        guard case .users(let helped) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(helped.visible.map { FakeBackend.sample.users[$0].id }, ["310"])
        feed(&m, keys(.char("d")))
        guard case .users(let hurt) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(hurt.visible.map { FakeBackend.sample.users[$0].id }, ["42"])
        feed(&m, keys(.escape))
        guard case .users(let all) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(all.visible.count, 3)
    }

    func testSlashFilter_MatchesIdOrText_EscClears() {
        var m = loadedModel()
        feed(&m, keys(.char("/")) + typing("heist"))
        guard case .users(let filtered) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(filtered.visible.map { FakeBackend.sample.users[$0].id }, ["42"])
        feed(&m, keys(.escape))
        guard case .users(let cleared) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(cleared.visible.count, 3)
    }

    // MARK: - Running HYDRA

    func testR_StartsTheRun_ShowsTheRunScreen_AndASecondRIsRefused() {
        var m = loadedModel()
        let commands = feed(&m, keys(.char("r")))
        guard case .runPipeline? = started(commands).first?.1 else { return XCTFail("no run job") }
        XCTAssertEqual(m.route, .run)
        XCTAssertEqual(m.run.status, .running)
        let again = feed(&m, keys(.char("1"), .char("r")))
        XCTAssertTrue(started(again).isEmpty)
        XCTAssertEqual(m.statusMessage, "a run is already running (x stops it)")
        XCTAssertEqual(m.route, .run)
    }

    func testRunBatches_UpdateStagesAndLoss_ThenTheResultUpdatesUsers() {
        let m = finishedRunModel()
        XCTAssertEqual(m.run.status, .finished(saved: false))
        XCTAssertEqual(m.run.stages.count, RunStage.allCases.count)
        XCTAssertEqual(m.run.losses.curves.count, 6)
        XCTAssertEqual(m.run.losses.totalSteps, 240)
        XCTAssertEqual(m.user("310")?.hasHeads, true)
        XCTAssertEqual(m.run.report?.bestPromptBaseline, "rag")
    }

    func testCancel_SendsCancel_KeepsTheJobUntilItEnds_AndRResumes() {
        var m = loadedModel()
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .labels, state: .running, done: 3, total: 10)]), at: 3))
        let commands = feed(&m, keys(.char("x")))
        XCTAssertEqual(cancelled(commands), [id])
        XCTAssertEqual(m.run.status, .running, "running until the engine confirms")
        update(&m, .job(id, JobBatch(end: .cancelled), at: 4))
        XCTAssertEqual(m.run.status, .cancelled)
        XCTAssertEqual(m.run.current, .labels)
        let again = feed(&m, keys(.char("r")))
        XCTAssertEqual(started(again).count, 1)
        XCTAssertEqual(m.run.status, .running)
    }

    func testFailure_NamesTheStage_AndRetryIsOffered() {
        var m = loadedModel()
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .inference, state: .running, done: 1, total: 4)]), at: 3))
        update(&m, .job(id, JobBatch(end: .failed("the LLM server did not answer")), at: 4))
        XCTAssertEqual(m.run.status, .failed("the LLM server did not answer"))
        XCTAssertEqual(m.statusMessage, "run failed in inference: the LLM server did not answer · r resumes from the store")
    }

    func testRunKeepsGoing_WhileTheTerminalIsTooSmall() {
        var m = loadedModel()
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .resize(Size(width: 60, height: 20)))
        XCTAssertTrue(m.isTooSmall)
        update(&m, .job(id, JobBatch(losses: [LossPoint(series: LossSeriesID(model: "reranker", userID: nil), step: 1, totalSteps: 5, loss: 0.7)]), at: 3))
        XCTAssertEqual(m.run.losses.totalSteps, 1)
        update(&m, .resize(Size(width: 120, height: 40)))
        XCTAssertTrue(render(m).contains("Run"))
    }

    // MARK: - Quit, help, commands

    func testQuit_WithoutJobs_QuitsAtOnce_WithJobsAsksFirst() {
        var idle = loadedModel()
        XCTAssertTrue(feed(&idle, keys(.char("q"))).contains { if case .quit = $0 { true } else { false } })
        var busy = loadedModel()
        let id = started(feed(&busy, keys(.char("r"))))[0].0
        feed(&busy, keys(.char("q")))
        XCTAssertEqual(busy.overlay, .confirmQuit)
        feed(&busy, keys(.char("n")))
        XCTAssertNil(busy.overlay)
        let commands = feed(&busy, keys(.char("q"), .char("y")))
        XCTAssertEqual(cancelled(commands), [id])
        XCTAssertTrue(busy.quitting)
    }

    func testHelp_FiltersAsYouType_AndEnterRunsTheSelectedAction() {
        var m = loadedModel()
        feed(&m, keys(.char("?")) + typing("live loss"))
        XCTAssertEqual(m.overlay, .help(filter: "live loss", selected: 0))
        XCTAssertTrue(render(m).contains("training screen (live loss)"))
        feed(&m, keys(.enter))
        XCTAssertNil(m.overlay)
        XCTAssertEqual(m.route, .training)
    }

    func testHelp_EnterOnAnArgumentCommand_OpensTheCommandLine() {
        var m = loadedModel()
        feed(&m, keys(.char("?")) + typing("open a user by id") + keys(.enter))
        XCTAssertEqual(m.commandLine?.text, "user ")
    }

    func testEveryScreenHasItsCommand() {
        var m = finishedRunModel()
        for (command, route) in [("training", Route.training), ("results", .results), ("users", .users), ("user 42", .user("42"))] {
            feed(&m, [.key(.char(":"))] + typing(command) + keys(.enter))
            XCTAssertEqual(m.route, route, command)
        }
        feed(&m, [.key(.char(":"))] + typing("user nobody") + keys(.enter))
        XCTAssertEqual(m.statusMessage, "no user \"nobody\" in this session (Tab completes ids)")
    }

    func testCommandLine_TabCompletesCommandsAndUserIds() {
        var m = loadedModel()
        feed(&m, keys(.char(":")) + typing("tra") + keys(.tab))
        XCTAssertEqual(m.commandLine?.text, "training ")
        feed(&m, keys(.ctrl("u")) + typing("user 3") + keys(.tab))
        XCTAssertEqual(m.commandLine?.text, "user 310")
    }

    func testSaveScreen_WritesTheScreenAsText_OrANSI() {
        var m = loadedModel()
        let commands = feed(&m, keys(.char(":")) + typing("save-screen /tmp/s.txt") + keys(.enter))
        guard case .write(let path, let contents)? = commands.first else { return XCTFail("no write: \(commands)") }
        XCTAssertEqual(path, "/tmp/s.txt")
        XCTAssertTrue(contents.contains("HYDRA Workbench"))
        XCTAssertFalse(contents.contains("\u{1B}"))
        let ansi = feed(&m, keys(.char(":")) + typing("save-screen /tmp/s.ansi") + keys(.enter))
        guard case .write(_, let colored)? = ansi.first else { return XCTFail() }
        XCTAssertTrue(colored.contains("\u{1B}["))
        update(&m, .wrote(path: "/tmp/s.ansi", error: nil))
        XCTAssertEqual(m.statusMessage, "wrote /tmp/s.ansi")
    }

    func testExportLoss_WritesCSV_OrSaysThereIsNone() {
        var empty = loadedModel()
        XCTAssertTrue(feed(&empty, keys(.char(":")) + typing("export-loss /tmp/l.csv") + keys(.enter)).isEmpty)
        XCTAssertEqual(empty.statusMessage, "no loss recorded yet (r runs HYDRA)")
        var m = finishedRunModel()
        let commands = feed(&m, keys(.char(":")) + typing("export-loss /tmp/l.csv") + keys(.enter))
        guard case .write(_, let csv)? = commands.first else { return XCTFail() }
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.first, "series,model,user,step,loss,smoothed")
        XCTAssertEqual(lines.count, 1 + 240)
        XCTAssertTrue(lines.contains { $0.hasPrefix("adapter/42,adapter,42,40,") })
    }

    func testUnknownCommand_IsAnError_WithTheNameClipped() {
        var m = loadedModel()
        feed(&m, keys(.char(":")) + typing(String(repeating: "z", count: 200)) + keys(.enter))
        XCTAssertTrue(m.statusIsError)
        XCTAssertLessThan(m.statusMessage?.count ?? 0, 100)
    }

    func testTrainingKeys_ChangeWindowScaleModeAndModel() {
        var m = finishedRunModel()
        feed(&m, keys(.char("3"), .char("w"), .char("y"), .char("m"), .char("M")))
        guard case .training(let screen) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(screen.window, .last500)
        XCTAssertTrue(screen.logScale)
        XCTAssertEqual(screen.mode, .smallMultiples)
        XCTAssertEqual(screen.headsModel, "adapter")
    }

    func testMouse_ClickSelectsAUserRow_SecondClickOpens() {
        var m = loadedModel()
        // the table's first body row is at y 3 (header row 0, pane border 1, column titles 2)
        feed(&m, [.mouse(MouseEvent(kind: .click, position: Point(x: 5, y: 4)))])
        guard case .users(let screen) = m.stack.last else { return XCTFail() }
        XCTAssertEqual(screen.list.cursor, 1)
        feed(&m, [.mouse(MouseEvent(kind: .click, position: Point(x: 5, y: 4)))])
        XCTAssertEqual(m.route, .user("310"))
    }
}
