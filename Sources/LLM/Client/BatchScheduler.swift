import Foundation
import LLMInterface

/// The embedded model's own thread: requests from any task land in an inbox, join the running
/// `BatchEngine` at its next step, and are answered through their `finish` callback. The thread
/// sleeps when there is nothing to do and is not part of Swift's cooperative pool, so a forward
/// pass never blocks the tasks that await it.
final class BatchScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var inbox: [BatchRequest] = []
    private var stopping = false
    /// Touched only on the scheduler's thread.
    private let engine: BatchEngine
    /// Gets the seconds the thread spends in steps (the runtime's busy time).
    private let usage: LLMUsageCounter

    init(engine: BatchEngine, usage: LLMUsageCounter) {
        self.engine = engine
        self.usage = usage
        // the thread keeps the scheduler alive until `shutdown()` lets it return
        let thread = Thread { [self] in loop() }
        thread.name = "hydra.embedded-llm"
        thread.start()
    }

    /// Hands a request to the thread; it joins the batch at the next step the budget allows.
    func submit(_ request: BatchRequest) {
        condition.lock()
        inbox.append(request)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread: requests still waiting or running end with `LLMError.cancelled`.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while inbox.isEmpty && !engine.hasWork && !stopping { condition.wait() }
            let arrived = inbox
            inbox = []
            let stop = stopping
            condition.unlock()
            for request in arrived { engine.submit(request) }
            if stop {
                engine.cancelAll()
                return
            }
            let start = ForwardTimings.now()
            engine.step()
            let seconds = ForwardTimings.now() - start
            usage.add { $0.seconds += seconds }
        }
    }
}
