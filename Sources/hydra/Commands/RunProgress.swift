import EngineBackend
import Foundation
import HydraEngine

/// Progress bars on stderr for a run's stages.
final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var line: ProgressLine?
    private var trainingLabel = ""
    private let meter: TokenMeter
    private var stageStart = Date()
    private var tokensAtStageStart = 0

    init(meter: TokenMeter) { self.meter = meter }

    func handle(_ event: EngineEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .stageStarted(let stage, _):
            line?.finish()
            line = ProgressLine(label: Self.label(stage))
            stageStart = Date()
            tokensAtStageStart = meter.tokens
        case .stageProgress(let stage, let done, let total):
            var detail = ""
            if stage == .labels || stage == .inference {
                let seconds = max(Date().timeIntervalSince(stageStart), 1e-3)
                detail = String(format: "  LLM %.0f tok/s", Double(meter.tokens - tokensAtStageStart) / seconds)
            }
            line?.update(Double(done), of: Double(total), unitName: stage == .embed ? "texts" : "queries", detail: detail)
        case .training(let model, let event):
            let label = "\(model) \(event.phase.userID) loss \(String(format: "%.3f", event.smoothedLoss))"
            if label.prefix(20) != trainingLabel.prefix(20) {
                line?.finish()
                line = ProgressLine(label: label)
                trainingLabel = label
            }
            line?.update(Double(event.step), of: Double(event.totalSteps), unitName: "steps")
        case .stageFinished(let stage, let seconds):
            line?.finish()
            line = nil
            CLI.note(String(format: "%@ done in %.1f s", stage.rawValue, seconds))
        case .note(let text):
            CLI.note(text)
        }
    }

    private static func label(_ stage: HydraStage) -> String {
        switch stage {
        case .load: return "loading"
        case .labels: return "LLM labels"
        case .embed: return "embedding"
        case .training: return "shared phase"
        case .fit: return "fit phase"
        case .inference: return "inference"
        case .evaluate: return "evaluating"
        }
    }
}
