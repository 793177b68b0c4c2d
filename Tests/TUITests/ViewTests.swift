import TUI
import WorkbenchAPI
import XCTest

final class ViewTests: XCTestCase {
    // MARK: - Users and user

    func testUsersScreen_Wide_TableWithRoleHeadsDelta_AndPreview() {
        var m = finishedRunModel(Size(width: 120, height: 30))
        feed(&m, keys(.char("1")))
        let canvas = render(m)
        assertGolden(canvas.dump(), "users_120x30")
        XCTAssertNotNil(canvas.find("┏━ Users "))
        XCTAssertNotNil(canvas.find("┌─ Profile "))
        XCTAssertTrue(canvas.contains("Δ pers−base"))
        XCTAssertTrue(canvas.contains("+0.500"))
    }

    func testUsersScreen_Narrow_ShowsOnlyTheTable() {
        var m = loadedModel(Size(width: 80, height: 24))
        feed(&m, keys(.char("1")))
        let canvas = render(m)
        assertGolden(canvas.dump(), "users_80x24")
        XCTAssertFalse(canvas.contains("─ Profile "))
        XCTAssertTrue(canvas.row(23).hasSuffix("? help"))
    }

    func testUserScreen_Wide_QuestionsShowContentAndGold_SideBySideWithRetrieved() {
        var m = loadedModel(Size(width: 120, height: 30))
        answer(&m, feed(&m, keys(.char("j"), .enter)))
        let canvas = render(m)
        assertGolden(canvas.dump(), "user_120x30")
        XCTAssertEqual(canvas.find("Profile")?.y, canvas.find("Retrieved (BM25)")?.y)
        XCTAssertTrue(canvas.contains("→ sci-fi  A lonely robot drifts"), "the varying part and the gold, not the template")
        XCTAssertFalse(canvas.contains("Which tag does this movie"))
    }

    func testUserScreen_Narrow_Stacked() {
        var m = loadedModel(Size(width: 80, height: 24))
        answer(&m, feed(&m, keys(.char("j"), .enter)))
        let canvas = render(m)
        assertGolden(canvas.dump(), "user_80x24")
        XCTAssertLessThan(canvas.find("Profile")?.y ?? 99, canvas.find("Questions")?.y ?? 0)
        XCTAssertLessThan(canvas.find("Questions")?.y ?? 99, canvas.find("Retrieved (BM25)")?.y ?? 0)
    }

    func testControlCharactersInData_NeverReachTheScreen() {
        var snapshot = FakeBackend.sample
        snapshot.users[0].profile[0].fields["description"] = "evil \u{1B}]0;pwned\u{07} title \u{1B}[2J clear\u{0}"
        var m = loadedModel(snapshot: snapshot)
        answer(&m, feed(&m, keys(.char("j"), .enter)))
        let text = render(m).dump()
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, text)
        XCTAssertTrue(text.contains("evil ·]0;pwned· title"))
    }

    // MARK: - Run, training, results

    func testRunScreen_MidRun_ShowsStagesRatesAndTimeLeft() {
        var m = loadedModel(Size(width: 120, height: 30))
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .load, state: .done(seconds: 0.2), done: 1, total: 1)]), at: 10))
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .labels, state: .running, done: 0, total: 200)]), at: 10))
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .labels, state: .running, done: 50, total: 200, tokensPerSecond: 310)]), at: 35))
        update(&m, .tick(35))
        let canvas = render(m)
        assertGolden(canvas.dump(), "run_120x30")
        XCTAssertTrue(canvas.contains("50/200"))
        XCTAssertTrue(canvas.contains("310 tok/s 2.00 prompts/s"))
        XCTAssertTrue(canvas.contains("1m 15s"), "150 prompts left at 2 per second")
    }

    func testRunScreen_Failed_SaysWhereAndHowToRetry() {
        var m = loadedModel(Size(width: 100, height: 30))
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .labels, state: .running, done: 3, total: 9)]), at: 3))
        update(&m, .job(id, JobBatch(end: .failed("LLM server at http://127.0.0.1:8080/v1: connection refused")), at: 4))
        let canvas = render(m)
        assertGolden(canvas.dump(), "run_failed_100x30")
        XCTAssertTrue(canvas.contains("failed in labels: LLM server"))
        XCTAssertTrue(canvas.contains("r resumes"))
    }

    func testTrainingScreen_SelectedSeries_MultiplesAndSpread() {
        var m = finishedRunModel(Size(width: 120, height: 30))
        feed(&m, keys(.char("3")))
        assertGolden(render(m).dump(), "training_selected_120x30")
        XCTAssertTrue(render(m).contains("reranker/shared · step 40/40"))
        feed(&m, keys(.char("m")))
        let multiples = render(m)
        assertGolden(multiples.dump(), "training_multiples_120x30")
        XCTAssertTrue(multiples.contains("310"))
        XCTAssertTrue(multiples.contains("42"))
        feed(&m, keys(.char("m")))
        let spread = render(m)
        assertGolden(spread.dump(), "training_spread_120x30")
        XCTAssertTrue(spread.contains("2 reranker heads"))
    }

    func testTrainingScreen_PlotDrawsBrailleInTheSeriesRoles() {
        var m = finishedRunModel(Size(width: 120, height: 30))
        feed(&m, keys(.char("3")))
        let canvas = render(m)
        var roles = Set<StyleRole>()
        for y in 0..<30 {
            for x in 0..<120 where (canvas[x, y].text.unicodeScalars.first?.value ?? 0) > 0x2800 {
                roles.insert(canvas[x, y].role)
            }
        }
        XCTAssertTrue(roles.contains(.plotSeries1) && roles.contains(.plotSeries2), "\(roles)")
    }

    func testResultsScreen_MethodsMetricsGainSignificanceAndDeltas() {
        var m = finishedRunModel(Size(width: 120, height: 40))
        feed(&m, keys(.char("4")))
        let canvas = render(m)
        assertGolden(canvas.dump(), "results_120x40")
        XCTAssertTrue(canvas.contains("+26.1 %"))
        XCTAssertTrue(canvas.contains("p = 0.021"))
        XCTAssertTrue(canvas.contains("1 helped, 1 hurt, 0 equal"))
    }

    func testResultsScreen_SaysWhatThePersonalHeadsChanged_AboveTheDeltas() {
        var m = finishedRunModel(Size(width: 120, height: 40))
        feed(&m, keys(.char("4")))
        let canvas = render(m)
        XCTAssertTrue(canvas.contains("personal vs global heads on the same inputs: prompt items differ on 7, picks on 4, answers on 9 of 48 questions"))
        XCTAssertTrue(canvas.contains("1 helped, 1 hurt, 0 equal"))
        XCTAssertTrue(canvas.contains("█ 1"), "the histogram still has its bars below the line")
        // a report saved before the counts existed shows no such line
        var report = FakeBackend.report
        report.headChanges = nil
        var old = finishedRunModel(Size(width: 120, height: 40), report: report)
        feed(&old, keys(.char("4")))
        XCTAssertFalse(render(old).contains("personal vs global heads"))
        XCTAssertTrue(render(old).contains("█ 1"))
    }

    func testResultsScreen_BeforeAnyRun_SaysHowToGetThem() {
        var m = loadedModel(Size(width: 100, height: 30))
        feed(&m, keys(.char("4")))
        XCTAssertTrue(render(m).contains("no results yet · r runs HYDRA on this session"))
    }

    // MARK: - Chrome

    func testLoadingScreen_ShowsProgress() {
        var m = AppModel(size: Size(width: 80, height: 24))
        let (id, _) = started(start(&m))[0]
        update(&m, .job(id, JobBatch(progress: (0.5, "reading user 3")), at: 1))
        let canvas = render(m)
        assertGolden(canvas.dump(), "loading_80x24")
        XCTAssertTrue(canvas.contains("50%"))
    }

    func testHelpOverlay_Filtered() {
        var m = loadedModel(Size(width: 100, height: 40))
        feed(&m, keys(.char("?")) + typing("run"))
        let canvas = render(m)
        assertGolden(canvas.dump(), "help_run_100x40")
        XCTAssertTrue(canvas.contains(":run"))
        XCTAssertFalse(canvas.contains("switch to the next theme"))
    }

    func testTooSmall_ShowsMessage() {
        let canvas = render(loadedModel(Size(width: 70, height: 20)))
        assertGolden(canvas.dump(), "too_small_70x20")
        XCTAssertTrue(canvas.contains(tooSmallMessage))
    }

    func testHeader_ShowsTheScreenAndTheRunningStage() {
        var m = loadedModel(Size(width: 120, height: 30))
        let id = started(feed(&m, keys(.char("r"))))[0].0
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: .labels, state: .running, done: 1, total: 9)]), at: 3))
        let header = render(m).row(0)
        XCTAssertTrue(header.contains("demo · LaMP_2 · run"))
        XCTAssertTrue(header.hasSuffix("run labels"))
    }
}
