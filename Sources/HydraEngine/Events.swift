import Foundation
import Training

/// A stage of a run, in order; its raw value is the key in `timings`.
public enum HydraStage: String, CaseIterable, Codable, Sendable {
    case load, labels, embed, training, fit, inference, evaluate
}

/// What a run reports while it works (on the calling task; keep handlers short).
public enum EngineEvent: Sendable {
    /// A stage began; `total` units of work (LLM prompts, texts, steps) are planned.
    case stageStarted(HydraStage, total: Int)
    /// Progress inside a stage.
    case stageProgress(HydraStage, done: Int, total: Int)
    /// One training step of `model` (`reranker` or `adapter`).
    case training(model: String, TrainingEvent)
    /// A stage ended after `seconds`.
    case stageFinished(HydraStage, seconds: Double)
    /// A free-form note (e.g. "loaded saved weights for reranker").
    case note(String)
}

/// Receives engine events.
public typealias EngineEventHandler = @Sendable (EngineEvent) -> Void
