import Foundation
import LaMP
import Numerics
import Training

/// One setting of the held-out selection grid and its score.
public struct SelectionTrial: Sendable, Codable, Equatable {
    public var labels: AdapterLabels
    public var epochs: Int
    public var learningRate: Float
    /// Mean primary metric (signed: higher is better) of the global adapter head's pick on the
    /// held-out questions.
    public var score: Double
}

/// What held-out selection did: the grid, the choice, or why it used the defaults.
public struct SelectionReport: Sendable, Codable, Equatable {
    public var heldOutUsers: [String]
    public var heldOutQuestions: Int
    public var trials: [SelectionTrial]
    /// The adapter's label scheme, shared-phase epochs and learning rate the run trained with.
    public var labels: AdapterLabels
    public var epochs: Int
    public var learningRate: Float
    /// Why the defaults were used (nil when the grid chose).
    public var fallback: String?
}

/// The adapter's settings a run trains with.
struct AdapterChoice: Sendable {
    var labels: AdapterLabels
    var settings: TrainingSettings
}

extension HydraPipeline {
    /// The adapter's label scheme and shared-phase settings: the configured ones for
    /// classification and rating (labels are by match) or when selection is off; otherwise the
    /// best of a small grid (label schemes × `selection.epochMultipliers` ×
    /// `selection.learningRates`) trained on the training users minus a held-out share and scored
    /// by the global head's pick among the held-out users' real questions' candidates. Too few
    /// held-out questions: the defaults, and the report says so.
    func selectAdapter(
        labelled: [LabelledCase], train: [EngineUser], usersByID: [String: EngineUser], events: EngineEventHandler?
    ) async throws -> (AdapterChoice, SelectionReport?) {
        let defaults = AdapterChoice(
            labels: config.labelling.adapterLabels ?? HydraConfig.LabellingConfig.defaultAdapterLabels, settings: config.jointTrainingSettings)
        guard config.task.family == .generation, config.selection.enabled else { return (defaults, nil) }
        func fallback(_ reason: String, heldOut: [String] = [], questions: Int = 0) -> (AdapterChoice, SelectionReport?) {
            events?(.note("held-out selection: \(reason); using the defaults"))
            return (defaults, SelectionReport(
                heldOutUsers: heldOut, heldOutQuestions: questions, trials: [], labels: defaults.labels,
                epochs: defaults.settings.epochs, learningRate: defaults.settings.learningRate, fallback: reason))
        }
        guard train.count >= 2 else { return fallback("\(train.count) training user(s), too few to hold any out") }
        let heldOutCount = min(train.count - 1, max(1, Int((Double(train.count) * config.selection.heldOutShare).rounded())))
        let heldOut = Set(train.suffix(heldOutCount).map(\.id))
        let trainIDs = Set(train.map(\.id)).subtracting(heldOut)
        let questions = labelled.filter { heldOut.contains($0.query.userID) && !$0.query.isPseudo && !$0.candidates.isEmpty }
        guard questions.count >= config.selection.minimumQuestions else {
            return fallback(
                "\(questions.count) held-out questions, fewer than \(config.selection.minimumQuestions)",
                heldOut: heldOut.sorted(), questions: questions.count)
        }
        let fitting = labelled.filter { trainIDs.contains($0.query.userID) }
        let schemes = config.labelling.adapterLabels.map { [$0] } ?? [HydraConfig.LabellingConfig.defaultAdapterLabels] + AdapterLabels.allCases
            .filter { $0 != HydraConfig.LabellingConfig.defaultAdapterLabels }
        var trials: [SelectionTrial] = []
        var best: (AdapterChoice, Double)?
        for scheme in schemes {
            let examples = try buildExamples(fitting, users: usersByID, scheme: scheme, events: nil).adapter
            for multiplier in config.selection.epochMultipliers {
                for rate in config.selection.learningRates {
                    try Task.checkCancellation()
                    var settings = config.jointTrainingSettings
                    settings.epochs = max(1, Int((Double(settings.epochs) * multiplier).rounded()))
                    settings.learningRate = rate
                    guard let model = try await trainModel("adapter", examples: examples, settings: settings, persist: false, events: nil)
                    else { continue }
                    var total = 0.0
                    for c in questions {
                        let picked = try await pick(c.candidates, query: try queryVector(c.query), user: c.query.userID, models: TrainedModels(adapter: model))
                        total += try signedScore(picked.base, gold: c.query.gold)
                    }
                    let score = total / Double(questions.count)
                    trials.append(SelectionTrial(labels: scheme, epochs: settings.epochs, learningRate: rate, score: score))
                    if best == nil || score > best!.1 { best = (AdapterChoice(labels: scheme, settings: settings), score) }
                }
            }
        }
        guard let (choice, score) = best else { return fallback("no setting could be trained") }
        events?(.note(String(
            format: "held-out selection: adapter labels %@, %d epochs, learning rate %g (%.4f on %d held-out questions)",
            choice.labels.rawValue, choice.settings.epochs, Double(choice.settings.learningRate), score, questions.count)))
        return (choice, SelectionReport(
            heldOutUsers: heldOut.sorted(), heldOutQuestions: questions.count, trials: trials, labels: choice.labels,
            epochs: choice.settings.epochs, learningRate: choice.settings.learningRate, fallback: nil))
    }

    /// The embedding of a case's query text.
    func queryVector(_ query: QueryCase) throws -> [Float] {
        let text = LaMPRetrievalText.query(task: config.task, input: query.input)
        return try embed([text])[text] ?? []
    }
}
