import Foundation
import TUI

/// Measures the workbench UI (`hydra bench tui`).
///
/// - `frame_ms_median`: one full frame of the user screen at 200×60 (view into a canvas plus
///   the diffed present to the in-memory terminal), median over 200 frames whose selection
///   moves so every frame has changes.
/// - `keypress_to_frame_ms_p99`: from a key being read by the real main loop to the frame
///   showing it, 99th percentile over 150 keys, while every key starts a CPU-busy retrieval
///   (30 ms of spinning) and another thread spins for the whole run.
/// - Returns: the two numbers, plus `keypress_to_frame_ms_median` and the `keypresses` count.
public func runTUIBenchmark() throws -> [String: Double] {
    var results: [String: Double] = [:]
    results["frame_ms_median"] = measureFrames()
    let keys = try measureKeypresses()
    results["keypress_to_frame_ms_p99"] = keys.p99
    results["keypress_to_frame_ms_median"] = keys.median
    results["keypresses"] = Double(keys.count)
    return results
}

/// A user screen at `size` with retrieval results in place.
func userScreenModel(size: Size) -> AppModel {
    let data = SyntheticBackend(userCount: 40, profileSize: 120).makeData()
    var model = AppModel(size: size)
    var commands: [Command]
    (model, commands) = start(model)
    (model, _) = update(model, .sessionLoaded(task: 1, data: data))
    (model, commands) = update(model, .key(.char("j")))
    (model, commands) = update(model, .key(.enter))
    for case .retrieve(let task, let user, let question, _) in commands {
        let items = (0..<10).map { RetrievedItem(rank: $0 + 1, profileIndex: $0 * 3, score: 12.5 - Double($0), matchedTerms: ["space", "robot", "love"]) }
        (model, _) = update(model, .retrieved(task: task, userIndex: user, questionIndex: question, items: items))
    }
    (model, _) = update(model, .key(.tab))
    return model
}

func measureFrames() -> Double {
    var model = userScreenModel(size: Size(width: 200, height: 60))
    let terminal = MemoryTerminal(size: model.size)
    var canvas = Canvas(size: model.size)
    var times: [Double] = []
    for frame in 0..<220 {
        (model, _) = update(model, .key(frame % 2 == 0 ? .char("j") : .char("k")))
        let start = MonotonicClock.seconds()
        view(model, into: &canvas)
        terminal.present(canvas, cursor: nil)
        let elapsed = MonotonicClock.seconds() - start
        if frame >= 20 { times.append(elapsed * 1000) }
    }
    times.sort()
    return times[times.count / 2]
}

/// A flag another thread can watch.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
    func stop() { lock.lock(); stopped = true; lock.unlock() }
}

func measureKeypresses() throws -> (p99: Double, median: Double, count: Int) {
    let flag = StopFlag()
    let spinner = Thread {
        var x = 0.0
        while !flag.isStopped { for i in 0..<100_000 { x += Double(i).squareRoot() } }
        if x < 0 { print(x) }
    }
    spinner.start()
    defer { flag.stop() }

    let terminal = MemoryTerminal(size: Size(width: 160, height: 48))
    let keyCount = 150
    var sent = 0
    var opened = false
    var lastSend = 0.0
    terminal.onIdle = { term in
        let now = MonotonicClock.seconds()
        if !opened {
            // wait for the users table, then open the first user
            if term.screen.contains("Users"), term.screen.contains("u1000") {
                opened = true
                lastSend = now
                term.type(.enter)
            }
            return
        }
        guard now - lastSend >= 0.008 else { return }
        lastSend = now
        if sent == keyCount {
            term.type(.ctrl("c"))
        } else {
            term.type(sent % 2 == 0 ? .char("j") : .char("k"))
        }
        sent += 1
    }
    let backend = SyntheticBackend(userCount: 40, profileSize: 120, retrieveBusySeconds: 0.03)
    try WorkbenchApp.runBlocking(terminal: terminal, backend: backend, theme: .defaultDark)

    // latency: from each key read to the first present after it
    let presents = terminal.presentTimes
    var latencies: [Double] = []
    for read in terminal.readTimes.dropFirst().dropLast() {
        guard let shown = presents.first(where: { $0 >= read }) else { continue }
        latencies.append((shown - read) * 1000)
    }
    latencies.sort()
    guard !latencies.isEmpty else { return (.nan, .nan, 0) }
    let index = min(latencies.count - 1, Int((Double(latencies.count) * 0.99).rounded(.up)) - 1)
    return (latencies[index], latencies[latencies.count / 2], latencies.count)
}
