import TUI
import WorkbenchAPI
import XCTest

/// Answers every heads and what-if job of `commands` as the fake backend would.
func answerHeads(_ model: inout AppModel, _ commands: [Command], failing: String? = nil) {
    let snapshot = model.snapshot ?? FakeBackend.sample
    for (id, job) in started(commands) {
        let result: JobResult
        switch job {
        case .heads: result = .heads(FakeBackend.heads(snapshot))
        case let .refitPlan(user, edit): result = .refitPlan(FakeBackend.plan(snapshot, user, edit))
        case let .refit(user, edit): result = .refit(FakeBackend.refit(snapshot, user, edit))
        case .keepRefit(let user): result = .keptRefit(userID: user)
        case .coldStart(let users, _, _): result = .coldStart(FakeBackend.coldStart(users))
        case let .exportReport(_, directory, _): result = .reportWritten([directory + "/README.md"])
        default: continue
        }
        update(&model, .job(id, JobBatch(end: failing.map { .failed($0) } ?? .result(result)), at: model.now))
    }
}

final class HeadsScreenTests: XCTestCase {
    func headsModel(_ size: Size = Size(width: 120, height: 40)) -> AppModel {
        var m = finishedRunModel(size)
        answerHeads(&m, feed(&m, keys(.char("5"))))
        return m
    }

    func heads(_ m: AppModel) -> HeadsScreen? { if case .heads(let s)? = m.stack.last { s } else { nil } }

    /// The user screen of user 310 (after a run), focus on the profile pane.
    func userModel(_ size: Size = Size(width: 120, height: 40)) -> AppModel {
        var m = finishedRunModel(size)
        answer(&m, feed(&m, [.key(.char(":"))] + typing("user 310") + keys(.enter)))
        feed(&m, keys(.tab, .tab))
        return m
    }

    func testHeadsKey_StartsTheHeadsJob_AndShowsTableMapAndLearnedPreference() {
        var m = finishedRunModel()
        let commands = feed(&m, keys(.char("5")))
        XCTAssertEqual(m.route, .heads)
        guard case .heads? = started(commands).first?.1 else { return XCTFail("\(commands)") }
        XCTAssertTrue(render(m).contains("measuring every head"))
        answerHeads(&m, commands)
        feed(&m, keys(.char("G")))
        let canvas = render(m)
        assertGolden(canvas.dump(), "heads_120x40")
        XCTAssertTrue(canvas.contains("Map of the adapter heads") && canvas.contains("✚") && canvas.contains("◆"))
        XCTAssertTrue(canvas.contains("latent: favourite tags: sci-fi, romance"))
        XCTAssertTrue(m.statusMessage?.contains("mean 0.80 over 1 users") == true, m.statusMessage ?? "")
    }

    func testNarrowHeads_StacksTheTableOverTheMapAndThePreference() {
        let canvas = render(headsModel(Size(width: 80, height: 24)))
        assertGolden(canvas.dump(), "heads_80x24")
        XCTAssertTrue(canvas.contains("Heads: adapter"))
    }

    func testOpeningFromAUser_SelectsThatUser_AndMovingMovesTheHighlight() {
        var m = userModel()
        answerHeads(&m, feed(&m, keys(.char("H"))))
        XCTAssertEqual(heads(m)?.selectedUserID, "310")
        feed(&m, keys(.char("k")))
        XCTAssertNotEqual(heads(m)?.selectedUserID, "310")
        XCTAssertTrue(render(m).contains("What \(heads(m)!.selectedUserID!)'s adapter head learned"))
    }

    func testSortFilterAndScorer() {
        var m = headsModel()
        // sorted by distance to the global head, largest first
        XCTAssertEqual(heads(m)?.visible.map(\.userID), ["1007", "42", "310"])
        feed(&m, keys(.char("S")))
        XCTAssertEqual(heads(m)?.visible.map(\.userID), ["310", "42", "1007"])
        feed(&m, keys(.char("/")) + typing("42") + keys(.enter))
        XCTAssertEqual(heads(m)?.visible.map(\.userID), ["42"])
        feed(&m, keys(.char("/"), .ctrl("u"), .enter))
        XCTAssertEqual(heads(m)?.visible.count, 3)
        feed(&m, keys(.char("M")))
        XCTAssertEqual(heads(m)?.scorer, .reranker)
        XCTAssertTrue(render(m).contains("Map of the reranker heads"))
    }

    func testMovesPane_EnterOpensTheQuestion() {
        var m = headsModel()
        while heads(m)?.selectedUserID != "310" { feed(&m, keys(.char("j"))) }
        XCTAssertTrue(render(m).contains("a3"))
        let commands = feed(&m, keys(.tab, .enter))
        XCTAssertEqual(m.route, .question("q310a"))
        XCTAssertFalse(started(commands).isEmpty)
    }

    func testAFailedHeadsJob_SaysWhy() {
        var m = finishedRunModel()
        answerHeads(&m, feed(&m, keys(.char("5"))), failing: "session \"demo\" has not been run yet: run it first")
        XCTAssertTrue(render(m).contains("has not been run yet"))
        XCTAssertTrue(m.statusIsError)
    }

    // MARK: what-if

    func testToggleUndoRedo_MarkTheItemAndSayTheHistorySize() {
        var m = userModel()
        feed(&m, keys(.char(" ")))
        XCTAssertEqual(m.whatIf.edit(of: "310").removed, ["a1"])
        XCTAssertTrue(m.statusMessage?.contains("history now 3 items") == true, m.statusMessage ?? "")
        XCTAssertTrue(render(m).contains("× [sci-fi] A crew of explorers"))
        feed(&m, keys(.char("u")))
        XCTAssertTrue(m.whatIf.edit(of: "310").isEmpty)
        feed(&m, keys(.ctrl("r")))
        XCTAssertEqual(m.whatIf.edit(of: "310").removed, ["a1"])
        feed(&m, keys(.char(" ")))
        XCTAssertTrue(m.whatIf.edit(of: "310").isEmpty, "space again puts it back")
    }

    func testExcludeIncludeAndAddItemCommands() {
        var m = userModel()
        feed(&m, [.key(.char(":"))] + typing("exclude tag=sci-fi") + keys(.enter))
        XCTAssertEqual(m.whatIf.edit(of: "310").removed, ["a1", "a3"])
        feed(&m, [.key(.char(":"))] + typing("include 1") + keys(.enter))
        XCTAssertEqual(m.whatIf.edit(of: "310").removed, ["a3"])
        feed(&m, [.key(.char(":"))] + typing("exclude 9") + keys(.enter))
        XCTAssertTrue(m.statusIsError && m.statusMessage?.contains("the history has 4 items") == true, m.statusMessage ?? "")
        feed(&m, [.key(.char(":"))] + typing("add-item tag=comedy description=a goat opens a bakery") + keys(.enter))
        XCTAssertEqual(m.whatIf.edit(of: "310").added, [ProfileEntry(id: "new-1", fields: ["tag": "comedy", "description": "a goat opens a bakery"])])
        feed(&m, [.key(.char(":"))] + typing("add-item tag=comedy") + keys(.enter))
        XCTAssertTrue(m.statusMessage?.contains("missing: description") == true, m.statusMessage ?? "")
    }

    func testRefit_IsPricedFirst_ThenRuns_AndShowsBeforeAfter() {
        var m = userModel()
        feed(&m, keys(.char(" ")))
        let priced = feed(&m, keys(.char("F")))
        guard case .refitPlan("310", let edit)? = started(priced).first?.1 else { return XCTFail("\(priced)") }
        XCTAssertEqual(edit.removed, ["a1"])
        answerHeads(&m, priced)
        XCTAssertTrue(m.statusMessage?.contains("3 items: 2 pseudo-queries, 10 LLM calls, 2 not cached · F again starts it") == true, m.statusMessage ?? "")
        let running = feed(&m, keys(.char("F")))
        guard case .refit("310", _)? = started(running).first?.1 else { return XCTFail("\(running)") }
        // editing while the re-fit reads the history is refused, clearly
        feed(&m, keys(.char(" ")))
        XCTAssertTrue(m.statusIsError && m.statusMessage?.contains("edits wait until it ends") == true, m.statusMessage ?? "")
        XCTAssertEqual(m.whatIf.edit(of: "310").removed, ["a1"])
        // the fit's loss goes to the training screen under its own name
        let (id, _) = started(running)[0]
        update(&m, .job(id, JobBatch(losses: [LossPoint(series: LossSeriesID(model: "adapter", userID: "310"), step: 1, totalSteps: 10, loss: 0.7)]), at: m.now))
        XCTAssertTrue(m.run.losses.curves.contains { $0.id.userID == "310 re-fit 1" })
        answerHeads(&m, running)
        let canvas = render(m)
        assertGolden(canvas.dump(), "user_refit_120x40")
        XCTAssertTrue(canvas.contains("Δ pers−base 0.000 → +0.500"))
        XCTAssertTrue(canvas.contains("showing the re-fit"))
        feed(&m, keys(.char("b")))
        XCTAssertTrue(render(m).contains("showing the run's fit"))
        let keep = feed(&m, [.key(.char(":"))] + typing("keep-refit") + keys(.enter))
        guard case .keepRefit("310")? = started(keep).first?.1 else { return XCTFail("\(keep)") }
    }

    func testARefitThatFails_SaysTheRunsHeadsAreUnchanged() {
        var m = userModel()
        answerHeads(&m, feed(&m, keys(.char("F"))))
        answerHeads(&m, feed(&m, keys(.char("F"))), failing: "LLM server timed out after 60 s")
        XCTAssertTrue(m.statusIsError)
        XCTAssertTrue(m.statusMessage?.contains("timed out after 60 s (the run's heads are unchanged)") == true, m.statusMessage ?? "")
        XCTAssertNil(m.whatIf.refits["310"])
    }

    func testColdStart_RunsForTheUser_AndOpensItsCurve() {
        var m = userModel()
        let commands = feed(&m, keys(.char("C")))
        guard case .coldStart(["310"], [5, 10, 20, 40], 3)? = started(commands).first?.1 else { return XCTFail("\(commands)") }
        answerHeads(&m, commands)
        XCTAssertEqual(m.route, .coldStart("310"))
        let canvas = render(m)
        assertGolden(canvas.dump(), "coldstart_120x40")
        XCTAssertTrue(canvas.contains("base only 0.450") && canvas.contains("RAG 0.350"))
        XCTAssertTrue(canvas.contains("all (30)"))
    }

    func testExportReport_NeedsADirectory_AndStartsTheJob() {
        var m = userModel()
        feed(&m, [.key(.char(":"))] + typing("export-report") + keys(.enter))
        XCTAssertTrue(m.statusIsError)
        let commands = feed(&m, [.key(.char(":"))] + typing("export-report out/u310") + keys(.enter))
        guard case .exportReport("310", "out/u310", nil)? = started(commands).first?.1 else { return XCTFail("\(commands)") }
        answerHeads(&m, commands)
        XCTAssertTrue(m.statusMessage?.contains("wrote out/u310/README.md") == true, m.statusMessage ?? "")
    }
}
