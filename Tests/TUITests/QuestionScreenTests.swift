import TUI
import WorkbenchAPI
import XCTest

/// Answers every inspect and counterfactual job of `commands` with the fake backend.
func answerQuestions(_ model: inout AppModel, _ commands: [Command], backend: FakeBackend = FakeBackend()) {
    for (id, job) in started(commands) {
        switch job {
        case .inspect(let q):
            let end: JobEnd = FakeBackend.question(model.snapshot ?? FakeBackend.sample, q).map { .result(.question($0)) }
                ?? .failed("no question \"\(q)\" in this session")
            update(&model, .job(id, JobBatch(end: end), at: model.now))
        case .counterfactual(let q, let item, let kind):
            let end: JobEnd = backend.failCounterfactual.map { .failed($0) } ?? .result(.counterfactual(CounterfactualReport(
                questionID: q, itemID: item, kind: kind, before: "sci-fi", after: "comedy", metricBefore: 1, metricAfter: 0,
                candidatesAfter: [], llmCalls: 1)))
            update(&model, .job(id, JobBatch(end: end), at: model.now))
        default:
            continue
        }
    }
}

final class QuestionScreenTests: XCTestCase {
    /// The question screen of user 310's first question, after a run.
    func questionModel(_ size: Size) -> AppModel {
        var m = finishedRunModel(size)
        answerQuestions(&m, feed(&m, [.key(.char(":"))] + typing("question q310a") + keys(.enter)))
        return m
    }

    func screen(_ m: AppModel) -> QuestionScreen? { if case .question(let s)? = m.stack.last { s } else { nil } }

    func testEnterOnAQuestion_OpensTheDebugger_WithTheInspectJob() {
        var m = loadedModel()
        answer(&m, feed(&m, keys(.char("j"), .enter)))
        let commands = feed(&m, keys(.enter))
        XCTAssertEqual(m.route, .question("q310a"))
        guard case .inspect("q310a")? = started(commands).first?.1 else { return XCTFail("\(commands)") }
    }

    func testGolden_Wide120x40_And200x60_AndStacked100x40() {
        for (size, name) in [(Size(width: 120, height: 40), "question_120x40"), (Size(width: 200, height: 60), "question_200x60"), (Size(width: 100, height: 40), "question_stacked_100x40")] {
            let canvas = render(questionModel(size))
            assertGolden(canvas.dump(), name)
            XCTAssertTrue(canvas.contains("BM25") && canvas.contains("τ"), name)
        }
        let wide = render(questionModel(Size(width: 120, height: 40)))
        XCTAssertTrue(wide.contains("Reranker · global head") && wide.contains("Reranker · user's head"))
        XCTAssertTrue(wide.contains("BM25 1.250 = Σ terms 1.250"), "the breakdown adds up to the score")
    }

    func testMovingTheCursor_FollowsTheFocusedRanking_AndTheWhyPaneFollows() {
        var m = questionModel(Size(width: 120, height: 40))
        let first = screen(m)?.selected
        feed(&m, keys(.char("j")))
        XCTAssertNotEqual(screen(m)?.selected, first)
        let report = screen(m)!.report!
        XCTAssertTrue(render(m).contains("Why: \(report.items[screen(m)!.selected].itemID)"))
    }

    func testCounterfactual_ShowsItsCost_RunsOnce_AndShowsBeforeAfter() {
        var m = questionModel(Size(width: 120, height: 40))
        XCTAssertTrue(render(m).contains("≤ 2 LLM calls each,"))
        let commands = feed(&m, keys(.char("a")))
        guard case .counterfactual("q310a", _, .itemAlone)? = started(commands).first?.1 else { return XCTFail("\(commands)") }
        XCTAssertTrue(started(feed(&m, keys(.char("a")))).isEmpty, "not started twice while running")
        answerQuestions(&m, commands)
        XCTAssertTrue(render(m).contains("item-alone: sci-fi (1.000) → comedy (0.000)"))
    }

    func testCounterfactualFailure_IsShownInPlace_AndTheScreenStaysUsable() {
        var m = questionModel(Size(width: 120, height: 40))
        answerQuestions(&m, feed(&m, keys(.char("o"))), backend: FakeBackend(failCounterfactual: "LLM server timed out after 60 s"))
        XCTAssertTrue(render(m).contains("leave-out: LLM server timed out after 60 s"))
        feed(&m, keys(.char("j")))
        XCTAssertEqual(m.route, .question("q310a"))
    }

    func testDenseToggle_AddsAFourthRanking_WithNewItemsMarked() {
        var m = questionModel(Size(width: 160, height: 40))
        XCTAssertFalse(render(m).contains("Dense (cosine)"))
        feed(&m, keys(.char("d")))
        let canvas = render(m)
        assertGolden(canvas.dump(), "question_dense_160x40")
        XCTAssertTrue(canvas.contains("Dense (cosine)"))
        XCTAssertTrue(canvas.contains("reranker input: [q, d, q⊙d, |q−d|]"))
    }

    func testUnknownQuestion_IsRefusedByTheCommand() {
        var m = finishedRunModel()
        feed(&m, [.key(.char(":"))] + typing("question nope") + keys(.enter))
        XCTAssertEqual(m.statusMessage, "no question \"nope\" in this session (Tab completes ids)")
    }

    func testInspectFailure_IsShownOnTheScreen() {
        var m = finishedRunModel()
        let commands = feed(&m, [.key(.char(":"))] + typing("question q42") + keys(.enter))
        let id = started(commands)[0].0
        update(&m, .job(id, JobBatch(end: .failed("the session has not been run yet: press r")), at: 9))
        XCTAssertTrue(render(m).contains("the session has not been run yet: press r"))
    }

    func testUserWithoutHeads_ShowsBaseOnly_AndSaysWhy() {
        var snapshot = FakeBackend.sample
        snapshot.users[0].role = .train
        var m = loadedModel(snapshot: snapshot)
        answerQuestions(&m, feed(&m, [.key(.char(":"))] + typing("question q310a") + keys(.enter)))
        let canvas = render(m)
        XCTAssertTrue(canvas.contains("User's head: none"))
        XCTAssertTrue(canvas.contains("no personal heads"))
    }

    func testNextAndPreviousQuestion_OfTheUserAndAcrossUsers() {
        var m = questionModel(Size(width: 120, height: 40))
        let depth = m.stack.count
        feed(&m, keys(.char("n")))
        XCTAssertEqual(m.route, .question("q310b"))
        feed(&m, keys(.char("N")))
        XCTAssertEqual(m.route, .question("q42"))
        feed(&m, keys(.char("P")))
        XCTAssertEqual(m.route, .question("q310a"))
        XCTAssertEqual(m.stack.count, depth, "moving replaces the screen rather than stacking")
    }

    func testLongAndControlCharacterText_NeverBreaksTheLayout() {
        var snapshot = FakeBackend.sample
        snapshot.users[0].profile[2].fields["description"] = "robot " + String(repeating: "space\u{1B}[31m ", count: 400)
        var m = loadedModel(Size(width: 120, height: 40), snapshot: snapshot)
        answerQuestions(&m, feed(&m, [.key(.char(":"))] + typing("question q310a") + keys(.enter)))
        let canvas = render(m)
        for y in 0..<40 { XCTAssertLessThanOrEqual(DisplayWidth.of(canvas.row(y)), 120) }
        XCTAssertFalse(canvas.dump().contains("\u{1B}"))
    }
}

final class OutputsScreenTests: XCTestCase {
    func outputsModel(_ size: Size) -> AppModel {
        var m = finishedRunModel(size)
        answerQuestions(&m, feed(&m, [.key(.char(":"))] + typing("question q310a") + keys(.enter)))
        answerQuestions(&m, feed(&m, keys(.enter)))
        return m
    }

    func testGolden_Wide_AndNarrow() {
        let wide = render(outputsModel(Size(width: 120, height: 40)))
        assertGolden(wide.dump(), "outputs_120x40")
        XCTAssertTrue(wide.contains("Zero-shot") && wide.contains("RAG") && wide.contains("Personalized"))
        XCTAssertTrue(wide.contains("the heads disagree · personal pick helped"))
        let big = render(outputsModel(Size(width: 200, height: 60)))
        assertGolden(big.dump(), "outputs_200x60")
        let narrow = render(outputsModel(Size(width: 100, height: 40)))
        assertGolden(narrow.dump(), "outputs_stacked_100x40")
        XCTAssertFalse(narrow.contains("Zero-shot"), "below 120 columns: base and personalized only")
    }

    func testInspectFailure_IsShownInFull_AsOnTheQuestionScreen() {
        var m = finishedRunModel(Size(width: 100, height: 30))
        let id = started(feed(&m, [.key(.char(":"))] + typing("outputs q42") + keys(.enter)))[0].0
        let message = "session \"demo\" has not been run yet: run it first (r in the workbench, or hydra run --session Sessions/demo.json)"
        update(&m, .job(id, JobBatch(end: .failed(message)), at: 9))
        let canvas = render(m)
        XCTAssertTrue(canvas.contains("Outputs q42"))
        XCTAssertTrue(canvas.contains("Sessions/demo.json)"), "the end of a long error is not cut off:\n\(canvas.dump())")
    }

    func testFullPrompt_Copy_AndSavePrompt() {
        var m = outputsModel(Size(width: 120, height: 40))
        feed(&m, keys(.char("F")))
        XCTAssertTrue(render(m).contains("[personal] Which tag"))
        let copy = feed(&m, keys(.char("c")))
        guard case .copyToClipboard(let text)? = copy.first else { return XCTFail("\(copy)") }
        XCTAssertTrue(text.hasPrefix("[personal]"))
        let save = feed(&m, [.key(.char(":"))] + typing("save-prompt /tmp/p.txt") + keys(.enter))
        guard case .write("/tmp/p.txt", let contents)? = save.first else { return XCTFail("\(save)") }
        XCTAssertEqual(contents, text)
    }

    func testFilters_CountAndVisitWherePersonalizationMatters() {
        var m = outputsModel(Size(width: 120, height: 40))
        XCTAssertTrue(render(m).contains("differs 2, helped 1, hurt 1 of 3"))
        feed(&m, keys(.char("v"), .char("v"), .char("v")))  // differs → helped → hurt
        guard case .outputs(let s)? = m.stack.last else { return XCTFail() }
        XCTAssertEqual(s.filter, .hurt)
        answerQuestions(&m, feed(&m, keys(.char("n"))))
        XCTAssertEqual(m.route, .outputs("q42"), "the next question where the personal pick hurt")
        guard case .outputs(let next)? = m.stack.last else { return XCTFail() }
        XCTAssertEqual(next.filter, .hurt, "the filter stays on")
    }
}
