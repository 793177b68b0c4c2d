/// LaMP's official evaluation (`eval/evaluation.py`), task by task, with its metric names.
///
/// | family | tasks | keys |
/// | --- | --- | --- |
/// | classification | LaMP_1, LaMP_2, LaMP_2N | `accuracy`, `f1` |
/// | rating | LaMP_3 | `mae`, `rmse` |
/// | generation | LaMP_4 … LaMP_7 | `rouge-1`, `rouge-L` |
///
/// As in LaMP, the set of prediction ids must equal the set of gold ids; predictions are paired
/// with golds by id (any order). Unlike LaMP (which keeps the last of duplicate ids), a duplicate
/// id is an error.
public enum LaMPEvaluator {
    /// Evaluates predictions against golds.
    ///
    /// - Parameters:
    ///   - task: The LaMP task, which picks the metrics and the label list.
    ///   - golds: The gold answers (`{split}_outputs.json` → `golds`).
    ///   - predictions: The predictions in the same format.
    ///   - useStemmer: Porter-stem ROUGE tokens (LaMP does not; default false).
    /// - Returns: The metrics under LaMP's names.
    /// - Throws: `MetricsError` for duplicate or mismatched ids, no examples, or an unparseable
    ///   LaMP_3 gold.
    public static func evaluate(
        task: LaMPTask, golds: [Gold], predictions: [Gold], useStemmer: Bool = false
    ) throws -> [String: Double] {
        let paired = try pair(golds: golds, predictions: predictions)
        guard !golds.isEmpty else { throw MetricsError.noExamples(task: task.rawValue) }
        let goldTexts = golds.map(\.output)
        switch task.family {
        case .classification:
            guard let labels = task.labels else { throw MetricsError.wrongFamily(task: task.rawValue) }
            let s = try ClassificationMetrics.scores(golds: goldTexts, predictions: paired, labels: labels)
            return ["accuracy": s.accuracy, "f1": s.f1]
        case .rating:
            let s = try RatingMetrics.scores(golds: goldTexts, predictions: paired, ids: golds.map(\.id))
            return ["mae": s.mae, "rmse": s.rmse]
        case .generation:
            let s = try Rouge(useStemmer: useStemmer).scores(golds: goldTexts, predictions: paired)
            return ["rouge-1": s.rouge1, "rouge-L": s.rougeL]
        }
    }

    /// The prediction text for each gold, in gold order.
    static func pair(golds: [Gold], predictions: [Gold]) throws -> [String] {
        var predictionByID: [String: String] = [:]
        for (i, p) in predictions.enumerated() {
            guard predictionByID.updateValue(p.output, forKey: p.id) == nil else {
                throw MetricsError.duplicateID(p.id, side: "predictions", index: i)
            }
        }
        var goldIDs = Set<String>()
        for (i, g) in golds.enumerated() where !goldIDs.insert(g.id).inserted {
            throw MetricsError.duplicateID(g.id, side: "golds", index: i)
        }
        let missing = golds.map(\.id).filter { predictionByID[$0] == nil }
        let extra = predictions.map(\.id).filter { !goldIDs.contains($0) }
        guard missing.isEmpty && extra.isEmpty else {
            throw MetricsError.idMismatch(missing: Array(missing.prefix(5)), extra: Array(extra.prefix(5)))
        }
        return golds.map { predictionByID[$0.id] ?? "" }
    }
}
