import DemoData
import Encoder
import EngineBackend
import Foundation
import HydraEngine
import LaMP
import LLMInterface
import LLMTestSupport
import SessionStore
import WorkbenchAPI
import Workspace
import XCTest

/// The reranker debugger's jobs (`.inspect`, `.counterfactual`) on a small LaMP_2 demo session
/// over the fake LLM and the hashing encoder.
final class QuestionInspectionTests: XCTestCase {
    private var fixture: SmallDemoSession!

    override func setUpWithError() throws { fixture = try SmallDemoSession(name: "inspect-test") }
    override func tearDownWithError() throws { fixture.remove() }

    private var root: URL { fixture.root }
    private var llm: FakeTagLLM { fixture.llm }
    private var k: Int { fixture.k }
    private var r: Int { fixture.r }
    private var session: SessionConfig { fixture.session }
    private var overrides: RunOverrides { fixture.overrides }
    private var environment: RunEnvironment { fixture.environment }
    private var llmCalls: Int { fixture.llmCalls }
    private func backend() throws -> EngineWorkbenchBackend { try fixture.backend() }
    private func result(_ backend: EngineWorkbenchBackend, _ job: Job) async throws -> JobResult? { try await fixture.result(backend, job) }
    private func ranSession() async throws -> (EngineWorkbenchBackend, SessionSnapshot, RunReport) { try await fixture.ranSession() }

    func testInspect_AfterARun_RankingsTermsPromptsAndOutputs_FromTheCache() async throws {
        let (backend, snapshot, run) = try await ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        let questionID = try XCTUnwrap(user.questions.first?.id)
        let callsAfterRun = llmCalls

        let started = Date()
        guard case .question(let report)? = try await result(backend, .inspect(questionID: questionID)) else {
            return XCTFail("no question report")
        }
        let firstSeconds = Date().timeIntervalSince(started)
        XCTAssertEqual(llmCalls, callsAfterRun, "a question the run answered costs no LLM call")
        XCTAssertEqual(report.questionID, questionID)
        XCTAssertEqual(report.userID, user.id)
        XCTAssertEqual(report.metric, "accuracy")
        XCTAssertTrue(report.hasPersonalHeads)

        // the three rankings: permutations of 1...k, the BM25 terms add up to the score
        XCTAssertEqual(report.items.count, k)
        XCTAssertEqual(report.items.map(\.bm25Rank).sorted(), Array(1...k))
        XCTAssertEqual(report.items.compactMap(\.baseRank).sorted(), Array(1...k))
        XCTAssertEqual(report.items.compactMap(\.personalRank).sorted(), Array(1...k))
        for item in report.items {
            let sum = item.terms.reduce(0) { $0 + $1.contribution }
            XCTAssertLessThanOrEqual(abs(sum - item.bm25Score), 1e-9 * max(abs(item.bm25Score), 1e-300), item.itemID)
            if item.bm25Score > 0 { XCTAssertFalse(item.terms.isEmpty) }
            XCTAssertNotNil(item.baseScore)
            XCTAssertNotNil(item.personalScore)
            XCTAssertNotNil(item.denseCosine)
            XCTAssertNil(item.trainingLabel, "an evaluation user's question was no training case")
        }
        XCTAssertEqual(report.items.filter(\.inPersonalPrompt).count, r)
        XCTAssertEqual(report.items.filter(\.inBasePrompt).count, r)
        XCTAssertEqual(report.dense.map(\.rank), Array(1...k))

        // the same BM25 as retrieval
        let hits = BM25Reference.top(
            items: user.profile.map { ProfileItem(id: $0.id, fields: $0.fields) }, input: user.questions[0].input, task: .movieTag, k: k)
        XCTAssertEqual(report.items.sorted { $0.bm25Rank < $1.bm25Rank }.map(\.itemID), hits)

        XCTAssertEqual(report.agreement.map { "\($0.first)-\($0.second)" }, ["bm25-base", "bm25-personal", "base-personal"])
        XCTAssertEqual(report.userAgreement.count, 3)
        for figure in report.agreement + report.userAgreement {
            XCTAssertTrue((-1...1).contains(figure.kendallTau), "\(figure)")
            XCTAssertTrue((0...1.0000001).contains(figure.rbo), "\(figure)")
        }
        XCTAssertFalse(report.candidates.isEmpty)
        XCTAssertTrue(report.candidates.allSatisfy { $0.metric != nil })
        XCTAssertTrue(report.candidates.contains { $0.text == report.personalPick })
        XCTAssertNotNil(report.personalMetric)
        XCTAssertEqual(report.counterfactualCalls, 1)

        // the four methods, with the run's prompts and answers
        XCTAssertEqual(report.outputs.map(\.method), ["zero-shot", "rag", "hydra-base", "hydra"])
        let outputs = Dictionary(uniqueKeysWithValues: report.outputs.map { ($0.method, $0) })
        XCTAssertEqual(outputs["zero-shot"]?.itemIDs, [])
        XCTAssertEqual(outputs["zero-shot"]?.prompt, user.questions[0].input)
        XCTAssertEqual(outputs["rag"]?.itemIDs, Array(hits.prefix(r)))
        XCTAssertEqual(
            outputs["hydra"]?.itemIDs,
            report.items.filter(\.inPersonalPrompt).sorted { ($0.personalRank ?? 0) < ($1.personalRank ?? 0) }.map(\.itemID))
        XCTAssertEqual(
            outputs["hydra-base"]?.itemIDs,
            report.items.filter(\.inBasePrompt).sorted { ($0.baseRank ?? 0) < ($1.baseRank ?? 0) }.map(\.itemID))
        for output in report.outputs where output.method != "zero-shot" {
            for id in output.itemIDs {
                let item = try XCTUnwrap(user.profile.first { $0.id == id })
                XCTAssertTrue(output.prompt.contains(item.fields["description"] ?? "?"), "\(output.method) prompt holds \(id)")
            }
            XCTAssertNotNil(output.metric)
        }
        let outcome = try XCTUnwrap(run.questions.first { $0.questionID == questionID })
        XCTAssertEqual(outputs["hydra"]?.answer, outcome.personalPick)
        XCTAssertEqual(outputs["hydra-base"]?.answer, outcome.basePick)

        // again: the same report, still no call
        let again = Date()
        guard case .question(let second)? = try await result(backend, .inspect(questionID: questionID)) else {
            return XCTFail("no second report")
        }
        let secondSeconds = Date().timeIntervalSince(again)
        XCTAssertEqual(second, report)
        XCTAssertEqual(llmCalls, callsAfterRun)
        print("inspect of a cached question: first \(String(format: "%.3f", firstSeconds)) s, again \(String(format: "%.3f", secondSeconds)) s")

        // `hydra inspect --json` prints what `inspect(questionID:)` returns, which is the job's report
        let direct = try await backend.inspect(questionID: questionID)
        XCTAssertEqual(direct, report)
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys]
        XCTAssertEqual(try JSONDecoder().decode(QuestionReport.self, from: try json.encode(direct)), report)
    }

    func testRunReport_QuestionsHaveBothPicksAndSignedScores() async throws {
        let (_, snapshot, run) = try await ranSession()
        let evalQuestions = snapshot.users.filter { $0.role == .eval }.flatMap(\.questions)
        XCTAssertEqual(Set(run.questions.map(\.questionID)), Set(evalQuestions.map(\.id)))
        for outcome in run.questions {
            let question = try XCTUnwrap(evalQuestions.first { $0.id == outcome.questionID })
            XCTAssertEqual(outcome.personalScore, outcome.personalPick == question.gold ? 1 : 0, "accuracy of one question")
            XCTAssertEqual(outcome.baseScore, outcome.basePick == question.gold ? 1 : 0)
        }
        let mean = run.questions.reduce(0) { $0 + $1.personalScore } / Double(run.questions.count)
        XCTAssertEqual(mean, try XCTUnwrap(run.methods["hydra"]?["accuracy"]), accuracy: 1e-12)
    }

    func testInspect_TrainingQuestion_HasLabelsAndAnswersAlone() async throws {
        let (backend, snapshot, _) = try await ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .train })
        let questionID = try XCTUnwrap(user.questions.first?.id)
        guard case .question(let report)? = try await result(backend, .inspect(questionID: questionID)) else {
            return XCTFail("no question report")
        }
        XCTAssertTrue(report.items.contains { $0.trainingLabel != nil })
        XCTAssertTrue(report.items.allSatisfy { ($0.trainingLabel == nil) == ($0.answerAlone == nil) })
        let calls = llmCalls
        _ = try await result(backend, .inspect(questionID: questionID))
        XCTAssertEqual(llmCalls, calls, "what the first inspection asked is cached")
    }

    func testInspect_BeforeARun_SaysToRunItFirst_AndCreatesNoStore() async throws {
        let backend = try backend()
        let snapshot: SessionSnapshot
        guard case .session(let loaded)? = try await result(backend, .loadSession) else { return XCTFail("no snapshot") }
        snapshot = loaded
        let questionID = try XCTUnwrap(snapshot.users.first?.questions.first?.id)
        do {
            _ = try await result(backend, .inspect(questionID: questionID))
            XCTFail("inspecting a session that has not been run must fail")
        } catch {
            let message = "\(error)"
            XCTAssertTrue(message.contains("run it first"), message)
            XCTAssertTrue(message.contains("hydra run --session"), message)
        }
        XCTAssertFalse(SessionStore.exists(at: root.appendingPathComponent("cache/sessions/inspect-test")))
        XCTAssertEqual(llmCalls, 0)
    }

    func testInspectAndCounterfactual_UnknownQuestionOrItem_NamesIt() async throws {
        let (backend, snapshot, _) = try await ranSession()
        do {
            _ = try await result(backend, .inspect(questionID: "no-such-question"))
            XCTFail("an unknown question must be an error")
        } catch {
            XCTAssertTrue("\(error)".contains("no question \"no-such-question\""), "\(error)")
        }
        let questionID = try XCTUnwrap(snapshot.users.first { $0.role == .eval }?.questions.first?.id)
        do {
            _ = try await result(backend, .counterfactual(questionID: questionID, itemID: "no-such-item", kind: .leaveOut))
            XCTFail("an unknown item must be an error")
        } catch {
            XCTAssertTrue("\(error)".contains("no-such-item"), "\(error)")
        }
    }

    func testCounterfactuals_ThroughTheFakeLLM_ThenCached() async throws {
        let (backend, snapshot, _) = try await ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        let questionID = try XCTUnwrap(user.questions.first?.id)
        guard case .question(let report)? = try await result(backend, .inspect(questionID: questionID)) else {
            return XCTFail("no question report")
        }
        let top = try XCTUnwrap(report.items.first { $0.personalRank == 1 })
        let lastRetrieved = try XCTUnwrap(report.items.first { $0.personalRank == k })

        // item alone: the fake LLM copies the first tag in the prompt, so the pick is that item's tag
        guard case .counterfactual(let alone)? = try await result(
            backend, .counterfactual(questionID: questionID, itemID: lastRetrieved.itemID, kind: .itemAlone))
        else { return XCTFail("no counterfactual") }
        XCTAssertEqual(alone.kind, .itemAlone)
        XCTAssertEqual(alone.llmCalls, 1, "one choice call on a prompt the run never sent")
        XCTAssertEqual(alone.before, report.outputs.first { $0.method == "hydra" }?.answer)
        XCTAssertFalse(alone.candidatesAfter.isEmpty)
        let itemTag = try XCTUnwrap(user.profile.first { $0.id == lastRetrieved.itemID }?.fields["tag"])
        XCTAssertTrue(alone.candidatesAfter.contains { $0.text == itemTag })
        XCTAssertNotNil(alone.metricBefore)
        XCTAssertNotNil(alone.metricAfter)

        guard case .counterfactual(let aloneAgain)? = try await result(
            backend, .counterfactual(questionID: questionID, itemID: lastRetrieved.itemID, kind: .itemAlone))
        else { return XCTFail("no counterfactual") }
        XCTAssertEqual(aloneAgain.llmCalls, 0, "the same prompt again is a cache hit")
        XCTAssertEqual(aloneAgain.after, alone.after)

        guard case .counterfactual(let leftOut)? = try await result(
            backend, .counterfactual(questionID: questionID, itemID: top.itemID, kind: .leaveOut))
        else { return XCTFail("no counterfactual") }
        XCTAssertEqual(leftOut.kind, .leaveOut)
        XCTAssertLessThanOrEqual(leftOut.llmCalls, 1)
        guard case .counterfactual(let leftOutAgain)? = try await result(
            backend, .counterfactual(questionID: questionID, itemID: top.itemID, kind: .leaveOut))
        else { return XCTFail("no counterfactual") }
        XCTAssertEqual(leftOutAgain.llmCalls, 0)
        XCTAssertEqual(leftOutAgain, CounterfactualReport(
            questionID: leftOut.questionID, itemID: leftOut.itemID, kind: leftOut.kind, before: leftOut.before, after: leftOut.after,
            metricBefore: leftOut.metricBefore, metricAfter: leftOut.metricAfter, candidatesAfter: leftOut.candidatesAfter, llmCalls: 0))
    }

    /// The prompts a counterfactual sends, at the engine's level (the report keeps only answers).
    func testCounterfactualPrompts_ItemAloneHoldsOneItem_LeaveOutTakesTheNext() async throws {
        let (_, snapshot, _) = try await ranSession()
        let user = try XCTUnwrap(snapshot.users.first { $0.role == .eval })
        let questionID = try XCTUnwrap(user.questions.first?.id)
        let data = try LoadedData.load(.session(session, file: nil), task: nil, demoRoot: root.appendingPathComponent("demo"))
        let setup = try RunSetup.open(source: .session(session, file: nil), data: data, overrides: overrides, environment: environment)
        let pipeline = setup.makePipeline()
        let models = try HydraPipeline.savedModels(in: setup.store)
        let inspection = try await pipeline.inspect(questionID: questionID, models: models)
        let personalOrder = inspection.items.sorted { $0.ranked.personalRank < $1.ranked.personalRank }.map(\.ranked.itemID)

        let alone = try await pipeline.counterfactual(questionID: questionID, edit: .itemAlone(itemID: personalOrder[3]), models: models)
        XCTAssertEqual(alone.before.itemIDs, Array(personalOrder.prefix(r)))
        XCTAssertEqual(alone.after.itemIDs, [personalOrder[3]])
        XCTAssertEqual(alone.after.method, .hydra)
        let description = try XCTUnwrap(user.profile.first { $0.id == personalOrder[3] }?.fields["description"])
        XCTAssertTrue(alone.after.prompt.contains(description))
        XCTAssertNotEqual(alone.after.prompt, alone.before.prompt)

        let leftOut = try await pipeline.counterfactual(questionID: questionID, edit: .leaveOut(itemID: personalOrder[0]), models: models)
        XCTAssertEqual(leftOut.after.itemIDs, [personalOrder[1], personalOrder[2]])
    }
}
