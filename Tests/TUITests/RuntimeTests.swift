import Foundation
import TUI
import WorkbenchAPI
import XCTest

final class RuntimeTests: XCTestCase {
    /// Runs the real main loop on a memory terminal; `script` decides what to type whenever
    /// input runs out, and gives up (force quit) after `timeout` seconds.
    private func runApp(
        backend: FakeBackend, size: Size = Size(width: 120, height: 40), timeout: Double = 20,
        script: @escaping (MemoryTerminal) -> Void
    ) throws -> MemoryTerminal {
        let terminal = MemoryTerminal(size: size)
        let deadline = MonotonicClock.seconds() + timeout
        var timedOut = false
        terminal.onIdle = { term in
            if MonotonicClock.seconds() > deadline {
                timedOut = true
                term.type(.ctrl("c"))
                return
            }
            script(term)
        }
        try WorkbenchApp.runBlocking(terminal: terminal, backend: backend, theme: .defaultDark, writeFile: { _, _ in })
        XCTAssertFalse(timedOut, "the script did not finish; last screen:\n\(terminal.dump())")
        XCTAssertFalse(terminal.entered, "terminal left on quit")
        return terminal
    }

    // MARK: - The job channel

    func testRunner_CoalescesEventsPerJobPerDrain() async throws {
        struct Chatty: WorkbenchBackend {
            func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
                let id = LossSeriesID(model: "reranker", userID: nil)
                for step in 1...5000 {
                    emit(.loss([LossPoint(series: id, step: step, totalSteps: 5000, loss: 1)]))
                    emit(.progress(Double(step) / 5000, "step \(step)"))
                    emit(.stage(StageUpdate(stage: .training, state: .running, done: step, total: 5000)))
                }
                emit(.result(.retrieved([])))
            }
        }
        let runner = JobRunner(backend: Chatty())
        runner.start(JobID(1), .runPipeline)
        var batches: [JobBatch] = []
        let deadline = Date().addingTimeInterval(10)
        while batches.last?.end == nil, Date() < deadline {
            batches += runner.drain().map(\.1)
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        XCTAssertEqual(batches.reduce(0) { $0 + $1.losses.count }, 5000, "every loss point arrives")
        for batch in batches {
            XCTAssertLessThanOrEqual(batch.stages.count, 1, "one update per stage per batch")
        }
        let last = batches.last { $0.progress != nil }
        XCTAssertEqual(last?.progress?.label, "step 5000")
        XCTAssertLessThan(batches.count, 5000, "batched, not one message per event")
    }

    func testRunner_CancelEndsWithCancelled_ResultIsNotReplaced() async throws {
        struct Slow: WorkbenchBackend {
            func run(_ job: Job, emit: @escaping @Sendable (JobEvent) -> Void) async throws {
                if case .retrieve = job {
                    emit(.result(.retrieved([])))
                    try await Task.sleep(nanoseconds: 50_000_000)
                    throw CancellationError()
                }
                try await Task.sleep(nanoseconds: 10_000_000_000)
            }
        }
        let runner = JobRunner(backend: Slow())
        runner.start(JobID(1), .runPipeline)
        runner.start(JobID(2), .retrieve(userID: "u", questionID: "q", k: 1))
        try await Task.sleep(nanoseconds: 20_000_000)
        runner.cancel(JobID(1))
        var ends: [JobID: JobEnd] = [:]
        let deadline = Date().addingTimeInterval(5)
        while ends.count < 2, Date() < deadline {
            for (id, batch) in runner.drain() { if let end = batch.end { ends[id] = end } }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        guard case .cancelled? = ends[JobID(1)] else { return XCTFail("run: \(String(describing: ends[JobID(1)]))") }
        guard case .result? = ends[JobID(2)] else { return XCTFail("retrieve: \(String(describing: ends[JobID(2)]))") }
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertTrue(runner.drain().isEmpty, "the late cancellation of a job that gave its result reports nothing")
        XCTAssertEqual(runner.runningCount, 0)
    }

    // MARK: - The main loop

    func testRun_LoadsRunsShowsLossAndResults_AndQuits() throws {
        var step = 0
        var sawLoss = false, sawResults = false
        _ = try runApp(backend: FakeBackend(stepsPerSeries: 30)) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.type(.char("r"))
                step = 1
            case 1 where term.screen.contains("finished · 4 shows the results"):
                term.type(.char("3"))
                step = 2
            case 2 where term.screen.contains("Loss series"):
                sawLoss = term.screen.contains("reranker/shared") && term.screen.contains("adapter/42")
                term.type(.char("4"))
                step = 3
            case 3 where term.screen.contains("Methods × metrics"):
                sawResults = term.screen.contains("hydra-base") && term.screen.contains("+26.1 %")
                term.type(.char("q"))
                step = 4
            default:
                break
            }
        }
        XCTAssertTrue(sawLoss)
        XCTAssertTrue(sawResults)
    }

    func testRun_StaysResponsiveWhileTraining_CancelAndResume() throws {
        var step = 0
        var responsive = false
        let terminal = try runApp(backend: FakeBackend(stepDelay: 0.002, stepsPerSeries: 400)) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.type(.char("r"))
                step = 1
            case 1 where term.screen.contains("steps/s") || term.screen.contains("training  "):
                term.type(.char("1"), .char("j"))
                step = 2
            case 2 where term.screen.contains("Users"):
                responsive = true
                term.type(.char("x"))
                step = 3
            case 3 where term.screen.contains("run stopped"):
                term.type(.char("r"))
                step = 4
            case 4 where term.screen.contains("running"):
                term.type(.char("q"), .char("y"))
                step = 5
            default:
                break
            }
        }
        XCTAssertTrue(responsive)
        XCTAssertEqual(step, 5, terminal.dump())
    }

    func testRun_FailedStage_IsShownOnTheRunScreen() throws {
        var step = 0
        var shown = false
        _ = try runApp(backend: FakeBackend(failAt: .inference)) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.type(.char("r"))
                step = 1
            case 1 where term.screen.contains("failed in inference"):
                shown = term.screen.contains("r resumes")
                term.type(.char("q"))
                step = 2
            default: break
            }
        }
        XCTAssertTrue(shown)
    }

    func testRun_LoadFailure_IsShown() throws {
        var shown = false
        _ = try runApp(backend: FakeBackend(loadFailure: "no such directory: /nope")) { term in
            if term.screen.contains("no such directory: /nope") {
                shown = true
                term.type(.char("q"))
            }
        }
        XCTAssertTrue(shown)
    }

    func testRun_ResizeToTooSmallAndBack() throws {
        var step = 0
        _ = try runApp(backend: FakeBackend()) { term in
            switch step {
            case 0 where term.screen.contains("310"):
                term.resize(to: Size(width: 60, height: 20))
                step = 1
            case 1 where term.screen.contains(tooSmallMessage):
                term.resize(to: Size(width: 100, height: 30))
                step = 2
            case 2 where term.screen.contains("310"):
                term.type(.char("q"))
                step = 3
            default: break
            }
        }
        XCTAssertEqual(step, 3)
    }
}
