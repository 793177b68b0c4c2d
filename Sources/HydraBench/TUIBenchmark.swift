import Foundation
import TUI
import WorkbenchAPI

/// Measures the workbench UI (`hydra bench tui`).
///
/// - `frame_ms_median`: one full frame of the user screen at 200×60 (view into a canvas plus
///   the diffed present to the in-memory terminal), median over 200 frames whose selection
///   moves so every frame has changes.
/// - `loss_plot_frame_ms_median`: the same for the training screen at 200×60 showing a run of
///   20,000 loss points (the selected series raw and smoothed), the selection moving between
///   the shared and a head series.
/// - `keypress_to_frame_ms_p99`: from a key being read by the real main loop to the frame
///   showing it, 99th percentile over 150 keys, while a synthetic run labels (CPU-busy prompts)
///   and trains (loss batches) and another thread spins for the whole run.
/// - `loss_history_bytes_100k`: the bytes a 100,000-step loss series keeps.
public func runTUIBenchmark() throws -> [String: Double] {
    var results: [String: Double] = [:]
    results["frame_ms_median"] = measureFrames(userScreenModel(size: Size(width: 200, height: 60)), keys: [.char("j"), .char("k")])
    results["loss_plot_frame_ms_median"] = measureFrames(trainingScreenModel(size: Size(width: 200, height: 60)), keys: [.char("j"), .char("k")])
    let keys = try measureKeypresses()
    results["keypress_to_frame_ms_p99"] = keys.p99
    results["keypress_to_frame_ms_median"] = keys.median
    results["keypresses"] = Double(keys.count)
    var curve = LossCurve(id: LossSeriesID(model: "reranker", userID: nil))
    for step in 1...100_000 { curve.append(1 / Float(step), totalSteps: 100_000) }
    results["loss_history_bytes_100k"] = Double(curve.storedBytes)
    return results
}

func loaded(_ size: Size) -> AppModel {
    var model = AppModel(size: size)
    let commands = start(&model)
    for case .start(let id, _) in commands {
        update(&model, .job(id, JobBatch(end: .result(.session(SyntheticBackend(userCount: 40, profileSize: 120).makeData()))), at: 0))
    }
    return model
}

/// A user screen at `size` with retrieval results in place.
func userScreenModel(size: Size) -> AppModel {
    var model = loaded(size)
    update(&model, .key(.char("j")))
    let commands = update(&model, .key(.enter))
    for case .start(let id, .retrieve(let userID, _, _)) in commands {
        let profile = model.user(userID)?.profile ?? []
        let hits = (0..<10).map {
            RetrievedHit(rank: $0 + 1, itemID: profile[min(profile.count - 1, $0 * 3)].id, score: 12.5 - Double($0), matchedTerms: ["space", "robot", "love"])
        }
        update(&model, .job(id, JobBatch(end: .result(.retrieved(hits))), at: 0))
    }
    update(&model, .key(.tab))
    return model
}

/// The training screen of a run that reported 20,000 steps (10,000 shared, 10 heads × 1,000).
func trainingScreenModel(size: Size) -> AppModel {
    var model = loaded(size)
    let commands = update(&model, .key(.char("r")))
    for case .start(let id, .runPipeline) in commands {
        var points: [LossPoint] = []
        let shared = LossSeriesID(model: "reranker", userID: nil)
        for step in 1...10_000 { points.append(LossPoint(series: shared, step: step, totalSteps: 10_000, loss: 1 / Float(step).squareRoot())) }
        for user in 0..<10 {
            let head = LossSeriesID(model: "reranker", userID: "u\(1000 + user * 3)")
            for step in 1...1_000 { points.append(LossPoint(series: head, step: step, totalSteps: 1_000, loss: 0.5 + 1 / Float(step))) }
        }
        update(&model, .job(id, JobBatch(losses: points), at: 1))
    }
    update(&model, .key(.char("3")))
    return model
}

func measureFrames(_ start: AppModel, keys: [Key]) -> Double {
    var model = start
    let terminal = MemoryTerminal(size: model.size)
    var canvas = Canvas(size: model.size)
    var times: [Double] = []
    for frame in 0..<220 {
        update(&model, .key(keys[frame % keys.count]))
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
    var started = false
    var lastSend = 0.0
    terminal.onIdle = { term in
        let now = MonotonicClock.seconds()
        if !started {
            // wait for the users table, start the run, and look at the training screen
            if term.screen.contains("Users"), term.screen.contains("u1000") {
                started = true
                lastSend = now
                term.type(.char("r"), .char("3"))
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
    let backend = SyntheticBackend(userCount: 40, profileSize: 120)
    try WorkbenchApp.runBlocking(terminal: terminal, backend: backend, theme: .defaultDark, writeFile: { _, _ in })

    // latency: from each key read to the first present after it
    let presents = terminal.presentTimes
    var latencies: [Double] = []
    for read in terminal.readTimes.dropFirst(3).dropLast() {
        guard let shown = presents.first(where: { $0 >= read }) else { continue }
        latencies.append((shown - read) * 1000)
    }
    latencies.sort()
    guard !latencies.isEmpty else { return (.nan, .nan, 0) }
    let index = min(latencies.count - 1, Int((Double(latencies.count) * 0.99).rounded(.up)) - 1)
    return (latencies[index], latencies[latencies.count / 2], latencies.count)
}
