/// Why LaMP metrics could not be computed.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    /// There is nothing to average.
    case noExamples(task: String)
    /// The gold and prediction lists differ in length.
    case countMismatch(golds: Int, predictions: Int)
    /// Prediction ids and gold ids differ (as LaMP's evaluator requires them equal): `missing` are
    /// gold ids without a prediction, `extra` prediction ids without a gold (first few of each).
    case idMismatch(missing: [String], extra: [String])
    /// An id occurs twice in the golds or the predictions (`side`), at `index`.
    case duplicateID(String, side: String, index: Int)
    /// A LaMP_3 gold at `index` (id `id`) is not a number (LaMP's evaluator would crash on it).
    case unparseableGold(id: String, index: Int, value: String)
    /// A LaMP_3 prediction at `index` (id `id`) parses to NaN or ±infinity (`nan`, `inf`,
    /// `1e999`): LaMP's evaluator would report a NaN or infinite MAE.
    case nonFinitePrediction(id: String, index: Int, value: String)
    /// The task's metrics need a label list and it has none (or the reverse).
    case wrongFamily(task: String)

    public var description: String {
        switch self {
        case .noExamples(let task):
            "no examples to evaluate for \(task)"
        case .countMismatch(let golds, let predictions):
            "\(golds) golds but \(predictions) predictions"
        case .idMismatch(let missing, let extra):
            "prediction ids and gold ids do not match: "
                + "missing predictions for \(missing.isEmpty ? "none" : missing.map { ErrorText.clipped($0) }.joined(separator: ", ")); "
                + "ids not in the golds: \(extra.isEmpty ? "none" : extra.map { ErrorText.clipped($0) }.joined(separator: ", "))"
        case .duplicateID(let id, let side, let index):
            "duplicate id \"\(ErrorText.clipped(id))\" in the \(side) at index \(index)"
        case .unparseableGold(let id, let index, let value):
            "gold at index \(index) (id \"\(ErrorText.clipped(id))\") is not a number: \"\(ErrorText.clipped(value))\""
        case .nonFinitePrediction(let id, let index, let value):
            "prediction at index \(index) (id \"\(ErrorText.clipped(id))\") is not a finite number: "
                + "\"\(ErrorText.clipped(value))\" (a rating prediction must be a finite number or text)"
        case .wrongFamily(let task):
            "\(task) has no metric of this kind"
        }
    }
}
