import EngineBackend
import Foundation
import FoundationXML
import WorkbenchAPI
import XCTest

/// The head inspector's and the what-if flow's jobs on a small run session.
final class HeadJobsTests: XCTestCase {
    private var fixture: SmallDemoSession!

    override func setUpWithError() throws { fixture = try SmallDemoSession(name: "heads-test") }
    override func tearDownWithError() throws { fixture.remove() }

    func testHeads_EveryUserWithHeadsHasStatsMapPointsAndAPreferenceAgainstTheLatentOne() async throws {
        let (backend, snapshot, _) = try await fixture.ranSession()
        guard case .heads(let report)? = try await fixture.result(backend, .heads) else { throw Missing(what: "heads report") }
        let withHeads = snapshot.users.map(\.id)
        XCTAssertEqual(Set(report.rows.map(\.userID)), Set(withHeads))
        for row in report.rows {
            let stats = try XCTUnwrap(row.adapter, row.userID)
            XCTAssertGreaterThan(stats.fitExamples ?? 0, 0, "the run kept each head's example count")
            XCTAssertTrue(stats.denseNorm.isFinite && stats.distanceToGlobal >= 0)
            if row.role == .eval { XCTAssertNotNil(stats.finalLoss, "an evaluation user's head has its fit curve") }
        }
        for scorer in HeadScorer.allCases {
            let map = try XCTUnwrap(report.map(scorer))
            XCTAssertEqual(map.points.count, withHeads.count + 1, "every head and the global head")
            XCTAssertTrue(map.points.allSatisfy { $0.x.isFinite && $0.y.isFinite })
        }
        XCTAssertEqual(report.preferences.count, withHeads.count)
        let preference = try XCTUnwrap(report.preferences.first)
        XCTAssertEqual(preference.labelShifts.count, 15, "one shift per LaMP_2 tag")
        XCTAssertNotNil(preference.latent, "the demo data has each user's latent tags")
        XCTAssertEqual(report.recoveryUsers, withHeads.count)
        let evalUser = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        XCTAssertFalse(report.moves[evalUser.id]?.items.isEmpty ?? true, "the run's traces give the moved items")
    }

    func testRefit_PricedFromTheCache_KeepsTheRunsHeadsUnlessKept() async throws {
        let (backend, snapshot, _) = try await fixture.ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        guard case .refitPlan(let unedited)? = try await fixture.result(backend, .refitPlan(userID: user.id, edit: HistoryEdit())) else {
            throw Missing(what: "plan")
        }
        XCTAssertEqual(unedited.newLLMCalls, 0, "the run labelled the unedited history")
        XCTAssertEqual(unedited.historySize, user.profile.count)
        let calls = fixture.llmCalls
        guard case .refit(let same)? = try await fixture.result(backend, .refit(userID: user.id, edit: HistoryEdit())) else {
            throw Missing(what: "refit")
        }
        XCTAssertEqual(fixture.llmCalls, calls, "an unedited re-fit costs no LLM call")
        for question in same.questions { XCTAssertEqual(question.before, question.after, "same data and seed: same heads, same answers") }

        let edit = HistoryEdit(removed: Set(user.profile.prefix(8).map(\.id)))
        guard case .refitPlan(let plan)? = try await fixture.result(backend, .refitPlan(userID: user.id, edit: edit)) else {
            throw Missing(what: "plan")
        }
        XCTAssertEqual(fixture.llmCalls, calls, "pricing calls nothing")
        XCTAssertEqual(plan.historySize, user.profile.count - 8)
        XCTAssertGreaterThan(plan.newLLMCalls, 0)
        guard case .refit(let edited)? = try await fixture.result(backend, .refit(userID: user.id, edit: edit)) else {
            throw Missing(what: "refit")
        }
        XCTAssertEqual(fixture.llmCalls - calls, edited.newLLMCalls)
        XCTAssertLessThanOrEqual(edited.newLLMCalls, plan.newLLMCalls + user.questions.count * 2, "labels as priced, plus the new prompts of the questions")
        for question in edited.questions {
            XCTAssertTrue(question.after.ranking.allSatisfy { !edit.removed.contains($0) }, "the edited history retrieves without the removed items")
        }
        // the run's heads are untouched until kept
        guard case .refit(let again)? = try await fixture.result(backend, .refit(userID: user.id, edit: HistoryEdit())) else {
            throw Missing(what: "refit")
        }
        XCTAssertEqual(again.questions.map(\.before), same.questions.map(\.before))
        guard case .keptRefit? = try await fixture.result(backend, .keepRefit(userID: user.id)) else { throw Missing(what: "keep") }
    }

    func testRefit_BadEditsAreNamed() async throws {
        let (backend, snapshot, _) = try await fixture.ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        do {
            _ = try await fixture.result(backend, .refitPlan(userID: user.id, edit: HistoryEdit(removed: ["no-such-item"])))
            XCTFail("an unknown item is refused")
        } catch {
            XCTAssertTrue("\(error)".contains("no item no-such-item in \(user.id)'s history"), "\(error)")
        }
        do {
            _ = try await fixture.result(backend, .refit(userID: user.id, edit: HistoryEdit(removed: Set(user.profile.map(\.id)))))
            XCTFail("an empty history is refused")
        } catch {
            XCTAssertTrue("\(error)".contains("a head needs at least 2"), "\(error)")
        }
        do {
            _ = try await fixture.result(backend, .keepRefit(userID: "nobody"))
            XCTFail("nothing to keep")
        } catch {
            XCTAssertTrue("\(error)".contains("re-fit first"), "\(error)")
        }
    }

    func testColdStart_OnePointPerSizeWithOneValuePerSeed_AndTheRunsLines() async throws {
        let (backend, snapshot, _) = try await fixture.ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        guard case .coldStart(let curve)? = try await fixture.result(backend, .coldStart(userIDs: [user.id], sizes: [5, 10], seeds: 2)) else {
            throw Missing(what: "cold start")
        }
        XCTAssertEqual(curve.points.map(\.size), [5, 10, user.profile.count])
        XCTAssertTrue(curve.points.allSatisfy { $0.values.count == 2 && $0.values.allSatisfy { (0...1).contains($0) } })
        XCTAssertNotNil(curve.baseOnly)
        XCTAssertNotNil(curve.rag)
        XCTAssertEqual(curve.userIDs, [user.id])
    }

    func testExportReport_WritesMarkdownAndChartsThatParse() async throws {
        let (backend, snapshot, _) = try await fixture.ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        let directory = fixture.root.appendingPathComponent("report")
        guard case .reportWritten(let files)? = try await fixture.result(
            backend, .exportReport(userID: user.id, directory: directory.path, coldStart: nil))
        else { throw Missing(what: "report") }
        XCTAssertTrue(files.first?.hasSuffix("README.md") == true, "\(files)")
        let markdown = try String(contentsOfFile: files[0], encoding: .utf8)
        XCTAssertTrue(markdown.contains(user.id))
        for question in user.questions { XCTAssertTrue(markdown.contains(question.id)) }
        for svg in files.dropFirst() {
            XCTAssertTrue(markdown.contains((svg as NSString).lastPathComponent), svg)
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: svg)))
            XCTAssertTrue(parser.parse(), "\(svg): \(parser.parserError.map { "\($0)" } ?? "")")
        }
    }
}
