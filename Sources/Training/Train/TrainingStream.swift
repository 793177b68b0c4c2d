import Foundation

/// What a training stream delivers: progress while running, then the trained model.
public enum TrainingUpdate: Sendable {
    /// One step's progress.
    case progress(TrainingEvent)
    /// Training ended; the model with its updated weights.
    case finished(FactorizedModel)
}

/// Training runs as `AsyncThrowingStream`s for the TUI and CLI.
///
/// The work runs on its own thread (not the cooperative pool). When the consumer stops iterating
/// or its task is cancelled, the stream terminates and the loop stops at its next step; the
/// stream then ends by throwing `TrainingError.cancelled` if still observed.
public enum TrainingStream {
    /// Joint training of `model` on `data` (see `JointTraining.train`).
    public static func joint(
        model: FactorizedModel, data: [UserExamples], settings: TrainingSettings
    ) -> AsyncThrowingStream<TrainingUpdate, Error> {
        run(model) { model, token, progress in
            try JointTraining.train(model: &model, data: data, settings: settings, token: token, progress: progress)
        }
    }

    /// Fit mode for `users` with the base frozen (see `HeadTraining.fitHeads`).
    public static func fit(
        model: FactorizedModel, users: [UserExamples], settings: TrainingSettings,
        initialization: HeadInitialization, workers: Int = 2
    ) -> AsyncThrowingStream<TrainingUpdate, Error> {
        run(model) { model, token, progress in
            try HeadTraining.fitHeads(
                model: &model, users: users, settings: settings, initialization: initialization,
                workers: workers, token: token, progress: progress)
        }
    }

    private static func run(
        _ model: FactorizedModel,
        _ work: @escaping @Sendable (inout FactorizedModel, CancellationToken, @escaping ProgressHandler) throws -> Void
    ) -> AsyncThrowingStream<TrainingUpdate, Error> {
        AsyncThrowingStream { continuation in
            let token = CancellationToken()
            continuation.onTermination = { _ in token.cancel() }
            let thread = Thread {
                var trained = model
                do {
                    try work(&trained, token) { continuation.yield(.progress($0)) }
                    continuation.yield(.finished(trained))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.start()
        }
    }
}
