/// MAE and RMSE of LaMP_3 ratings.
public struct RatingScores: Sendable, Hashable {
    /// Mean absolute error.
    public var mae: Double
    /// Root mean squared error.
    public var rmse: Double
}

/// The rating metrics of LaMP_3, as LaMP's evaluator computes them.
///
/// Port of `create_metric_mae_rmse`: both strings are stripped and parsed with Python's
/// `float()`. A prediction that does not parse becomes 1.0 or 5.0, whichever is farther from the
/// gold (5.0 when the gold is exactly 3). A gold that does not parse is an error (LaMP's
/// evaluator crashes on it), and so is a prediction that parses to NaN or ±infinity (LaMP's
/// evaluator would report a NaN or infinite score). Finite predictions outside 1…5 are scored as
/// LaMP scores them. Means use numpy's summation order.
public enum RatingMetrics {
    /// The number a prediction counts as, given its gold value.
    public static func predictionValue(_ prediction: String, gold: Double) -> Double {
        if let value = PythonText.parseFloat(prediction) { return value }
        return abs(1 - gold) > abs(5 - gold) ? 1.0 : 5.0
    }

    /// Scores predictions against golds, pairwise in order.
    ///
    /// - Parameters:
    ///   - golds: The gold ratings as text (`"1"` … `"5"`).
    ///   - predictions: The predictions, one per gold.
    ///   - ids: Optional ids of the golds, only to name one in an error.
    /// - Throws: `MetricsError.countMismatch`, `.noExamples`, `.unparseableGold` or `.nonFinitePrediction`.
    public static func scores(golds: [String], predictions: [String], ids: [String]? = nil) throws
        -> RatingScores
    {
        guard golds.count == predictions.count else {
            throw MetricsError.countMismatch(golds: golds.count, predictions: predictions.count)
        }
        guard !golds.isEmpty else { throw MetricsError.noExamples(task: "rating") }
        var absolute: [Double] = []
        var squared: [Double] = []
        for (i, (g, p)) in zip(golds, predictions).enumerated() {
            guard let gold = PythonText.parseFloat(g) else {
                let id = ids.flatMap { i < $0.count ? $0[i] : nil } ?? ""
                throw MetricsError.unparseableGold(id: id, index: i, value: g)
            }
            let value = predictionValue(p, gold: gold)
            guard value.isFinite else {
                let id = ids.flatMap { i < $0.count ? $0[i] : nil } ?? ""
                throw MetricsError.nonFinitePrediction(id: id, index: i, value: p)
            }
            absolute.append(abs(value - gold))
            squared.append((gold - value) * (gold - value))
        }
        return RatingScores(
            mae: PythonText.numpyMean(absolute),
            rmse: PythonText.numpyMean(squared).squareRoot())
    }
}
