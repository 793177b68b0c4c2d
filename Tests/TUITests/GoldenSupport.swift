import Foundation
import TUI
import WorkbenchAPI
import XCTest

/// Compares `text` with `Golden/<name>.txt` next to this file; re-records it when the
/// environment has `RECORD_GOLDEN=1` (or when the file does not exist yet, failing once).
func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let url = directory.appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            XCTFail("cannot write golden \(url.path): \(error)", file: file, line: line)
        }
        if !record { XCTFail("recorded missing golden \(name).txt; run again", file: file, line: line) }
        return
    }
    guard expected != text else { return }
    let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let got = text.split(separator: "\n", omittingEmptySubsequences: false)
    let row = (0..<min(want.count, got.count)).first(where: { want[$0] != got[$0] }) ?? min(want.count, got.count)
    let expectedLine = row < want.count ? String(want[row]) : "<end>"
    let actualLine = row < got.count ? String(got[row]) : "<end>"
    XCTFail(
        "screen differs from Golden/\(name).txt at row \(row):\n  want: \(expectedLine)\n  got:  \(actualLine)\n"
            + "(re-record with RECORD_GOLDEN=1 swift test)\n\(text)",
        file: file, line: line)
}

/// Feeds messages to `update`, collecting every command.
@discardableResult
func feed(_ model: inout AppModel, _ messages: [Msg]) -> [Command] {
    var all: [Command] = []
    for msg in messages { all += update(&model, msg) }
    return all
}

/// Keys as messages.
func keys(_ keys: Key...) -> [Msg] { keys.map { .key($0) } }

/// Typed text as key messages.
func typing(_ text: String) -> [Msg] { text.map { .key(.char($0)) } }

/// The jobs `commands` start.
func started(_ commands: [Command]) -> [(JobID, Job)] {
    commands.compactMap { if case .start(let id, let job) = $0 { return (id, job) } else { return nil } }
}

/// The jobs `commands` cancel.
func cancelled(_ commands: [Command]) -> [JobID] {
    commands.compactMap { if case .cancel(let id) = $0 { return id } else { return nil } }
}

/// A model with the sample session loaded at `size`.
func loadedModel(_ size: Size = Size(width: 120, height: 40), snapshot: SessionSnapshot = FakeBackend.sample) -> AppModel {
    var m = AppModel(size: size)
    let commands = start(&m)
    let (id, _) = started(commands)[0]
    update(&m, .job(id, JobBatch(end: .result(.session(snapshot))), at: 1))
    return m
}

/// Answers every retrieve job of `commands` with the fake backend's results.
func answer(_ model: inout AppModel, _ commands: [Command]) {
    for (id, job) in started(commands) {
        guard case .retrieve(let user, let question, let k) = job else { continue }
        let hits = FakeBackend.overlap(model.snapshot ?? FakeBackend.sample, userID: user, questionID: question, k: k)
        update(&model, .job(id, JobBatch(end: .result(.retrieved(hits))), at: model.now))
    }
}

/// Runs the fake backend's whole run through `update` as batches (no threads): every stage,
/// loss points and the report.
func finishedRunModel(_ size: Size = Size(width: 120, height: 40), steps: Int = 40, report: RunReport = FakeBackend.report) -> AppModel {
    var m = loadedModel(size)
    let commands = update(&m, .key(.char("r")))
    guard let (id, _) = started(commands).first else { return m }
    var t = 2.0
    for stage in RunStage.allCases {
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: stage, state: .running, done: 0, total: 4)]), at: t))
        t += 1
        if stage == .training || stage == .fit {
            let ids = stage == .training
                ? [LossSeriesID(model: "reranker", userID: nil), LossSeriesID(model: "adapter", userID: nil)]
                : ["310", "42"].flatMap { [LossSeriesID(model: "reranker", userID: $0), LossSeriesID(model: "adapter", userID: $0)] }
            let points = ids.flatMap { s in (1...steps).map { LossPoint(series: s, step: $0, totalSteps: steps, loss: FakeBackend.loss($0)) } }
            update(&m, .job(id, JobBatch(losses: points), at: t))
        }
        update(&m, .job(id, JobBatch(stages: [StageUpdate(stage: stage, state: .done(seconds: 1.5), done: 4, total: 4, tokensPerSecond: stage == .labels ? 120 : nil)]), at: t))
    }
    var users = FakeBackend.sample.users
    users[0].hasHeads = true
    users[1].hasHeads = true
    update(&m, .job(id, JobBatch(end: .result(.run(report, users: users))), at: t + 1))
    return m
}

/// The model drawn into a fresh canvas.
func render(_ model: AppModel) -> Canvas {
    var canvas = Canvas(size: model.size)
    view(model, into: &canvas)
    return canvas
}
