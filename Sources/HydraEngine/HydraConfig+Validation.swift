import Foundation
import Training

extension HydraConfig {
    /// Checks every setting's range before any work starts.
    /// - Throws: `HydraEngineError.invalidSetting` naming the first setting out of range by its
    ///   path in the configuration (`retrieval.k`, `training.fit.learningRate`).
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: @autoclosure () -> String) throws {
            if !ok { throw HydraEngineError.invalidSetting(name: name, value: value()) }
        }
        try check(retrieval.k >= 1, "retrieval.k", String(retrieval.k))
        try check(retrieval.r >= 1, "retrieval.r", String(retrieval.r))
        try check(retrieval.r <= retrieval.k, "retrieval.r", "\(retrieval.r) (more than k = \(retrieval.k))")
        try check(retrieval.promptTokens >= 16, "retrieval.promptTokens", String(retrieval.promptTokens))
        // labelK above k is not an error: it is capped at k (`itemsLabelled(k:)`), so the
        // default 4 stays valid for a run with k = 3.
        if let labelK = labelling.labelK { try check(labelK >= 1, "labelling.labelK", String(labelK)) }
        if let questions = labelling.trainQuestionsPerUser {
            try check(questions >= 0, "labelling.trainQuestionsPerUser", String(questions))
        }
        for (name, count) in [
            ("labelling.pseudoQueriesPerTrainUser", labelling.pseudoQueriesPerTrainUser),
            ("labelling.pseudoQueriesPerEvalUser", labelling.pseudoQueriesPerEvalUser),
            ("labelling.adapterPseudoQueriesPerTrainUser", labelling.adapterPseudoQueriesPerTrainUser),
            ("labelling.adapterPseudoQueriesPerEvalUser", labelling.adapterPseudoQueriesPerEvalUser),
        ] {
            try check(count >= 0, name, String(count))
        }
        try check(sampling.n >= 1, "sampling.n", String(sampling.n))
        try check(sampling.maxNewTokens >= 1, "sampling.maxNewTokens", String(sampling.maxNewTokens))
        try check(sampling.temperature >= 0 && sampling.temperature.isFinite, "sampling.temperature", String(sampling.temperature))
        try check(sampling.topP > 0 && sampling.topP <= 1, "sampling.topP", String(sampling.topP))
        try check(
            selection.heldOutShare > 0 && selection.heldOutShare < 1, "selection.heldOutShare", String(selection.heldOutShare))
        try check(
            !selection.fitEpochs.isEmpty && selection.fitEpochs.allSatisfy { $0 > 0 },
            "selection.fitEpochs", selection.fitEpochs.map { String($0) }.joined(separator: ","))
        try check(
            !selection.fitLearningRates.isEmpty && selection.fitLearningRates.allSatisfy { $0 > 0 && $0.isFinite },
            "selection.fitLearningRates", selection.fitLearningRates.map { String($0) }.joined(separator: ","))
        try check(
            !selection.epochMultipliers.isEmpty && selection.epochMultipliers.allSatisfy { $0 > 0 && $0.isFinite },
            "selection.epochMultipliers", selection.epochMultipliers.map { String($0) }.joined(separator: ","))
        try check(
            !selection.learningRates.isEmpty && selection.learningRates.allSatisfy { $0 > 0 && $0.isFinite },
            "selection.learningRates", selection.learningRates.map { String($0) }.joined(separator: ","))
        try check(selection.minimumQuestions >= 1, "selection.minimumQuestions", String(selection.minimumQuestions))
        try check(
            training.baseWidths.allSatisfy { $0 > 0 }, "training.baseWidths",
            training.baseWidths.map(String.init).joined(separator: ","))
        try Self.validate(training.joint, name: "training.joint")
        try Self.validate(training.fit, name: "training.fit")
        try check(runtime.concurrentLLMCalls >= 1, "runtime.concurrentLLMCalls", String(runtime.concurrentLLMCalls))
        if let trainUsers { try check(trainUsers >= 1, "trainUsers", String(trainUsers)) }
        if let evalUsers { try check(evalUsers >= 1, "evalUsers", String(evalUsers)) }
        try check(!methods.isEmpty, "methods", "(none)")
    }

    private static func validate(_ settings: TrainingSettings, name: String) throws {
        func check(_ ok: Bool, _ field: String, _ value: String) throws {
            if !ok { throw HydraEngineError.invalidSetting(name: name + "." + field, value: value) }
        }
        try check(settings.epochs > 0, "epochs", String(settings.epochs))
        try check(settings.batchSize > 0, "batchSize", String(settings.batchSize))
        try check(
            settings.learningRate > 0 && settings.learningRate.isFinite, "learningRate", String(settings.learningRate))
        try check(settings.weightDecay >= 0 && settings.weightDecay.isFinite, "weightDecay", String(settings.weightDecay))
    }
}
