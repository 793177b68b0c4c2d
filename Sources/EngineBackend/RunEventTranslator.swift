import Foundation
import HydraEngine
import Training
import WorkbenchAPI

/// Turns the engine's events into the workbench's: stages with tokens/s where the LLM works,
/// training steps in batches, notes as they come.
final class RunEventTranslator: @unchecked Sendable {
    private let emit: @Sendable (JobEvent) -> Void
    private let meter: TokenMeter
    private let batcher = LossBatcher()
    private let lock = NSLock()
    private var started: [HydraStage: (date: Date, tokens: Int, total: Int)] = [:]

    init(meter: TokenMeter, emit: @escaping @Sendable (JobEvent) -> Void) {
        self.meter = meter
        self.emit = emit
    }

    func handle(_ event: EngineEvent) {
        switch event {
        case .stageStarted(let stage, let total):
            lock.withLock { started[stage] = (Date(), meter.tokens, total) }
            emit(.stage(StageUpdate(stage: Self.stage(stage), state: .running, done: 0, total: total)))
        case .stageProgress(let stage, let done, let total):
            emit(.stage(StageUpdate(
                stage: Self.stage(stage), state: .running, done: done, total: total, tokensPerSecond: tokensPerSecond(stage))))
        case .training(let model, let step):
            let series = LossSeriesID(model: model, userID: step.phase == .joint ? nil : step.phase.userID)
            if let batch = batcher.add(LossPoint(series: series, step: step.step, totalSteps: step.totalSteps, loss: step.loss)) {
                emit(.loss(batch))
            }
        case .stageFinished(let stage, let seconds):
            flushLosses()
            let total = lock.withLock { started[stage]?.total ?? 0 }
            emit(.stage(StageUpdate(
                stage: Self.stage(stage), state: .done(seconds: seconds), done: total, total: total,
                tokensPerSecond: tokensPerSecond(stage))))
        case .note(let text):
            emit(.note(text))
        }
    }

    /// Sends any training steps still held back.
    func flushLosses() {
        if let batch = batcher.flush() { emit(.loss(batch)) }
    }

    /// The LLM's tokens per second since `stage` started, for the stages that call it.
    private func tokensPerSecond(_ stage: HydraStage) -> Double? {
        guard stage == .labels || stage == .inference, let start = lock.withLock({ started[stage] }) else { return nil }
        let seconds = max(Date().timeIntervalSince(start.date), 1e-3)
        return Double(meter.tokens - start.tokens) / seconds
    }

    private static func stage(_ stage: HydraStage) -> RunStage {
        switch stage {
        case .load: .load
        case .labels: .labels
        case .embed: .embed
        case .training: .training
        case .fit: .fit
        case .inference: .inference
        case .evaluate: .evaluate
        }
    }
}
