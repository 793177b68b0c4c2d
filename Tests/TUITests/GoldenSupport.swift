import Foundation
import TUI
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
func feed(_ model: AppModel, _ messages: [Msg]) -> (AppModel, [Command]) {
    var m = model
    var all: [Command] = []
    for msg in messages {
        let (next, commands) = update(m, msg)
        m = next
        all += commands
    }
    return (m, all)
}

/// Keys as messages.
func keys(_ keys: Key...) -> [Msg] { keys.map { .key($0) } }

/// A model with the sample session loaded at `size`.
func loadedModel(_ size: Size = Size(width: 120, height: 40), data: WorkbenchData = FakeBackend.sample) -> AppModel {
    let (started, _) = start(AppModel(size: size))
    return update(started, .sessionLoaded(task: 1, data: data)).0
}

/// Answers every retrieve command with the fake backend's results.
func answer(_ model: AppModel, _ commands: [Command]) -> AppModel {
    var m = model
    for case .retrieve(let task, let user, let question, let k) in commands {
        let items = FakeBackend.overlap(m.data ?? FakeBackend.sample, userIndex: user, questionIndex: question, k: k)
        m = update(m, .retrieved(task: task, userIndex: user, questionIndex: question, items: items)).0
    }
    return m
}

/// The model drawn into a fresh canvas.
func render(_ model: AppModel) -> Canvas {
    var canvas = Canvas(size: model.size)
    view(model, into: &canvas)
    return canvas
}
