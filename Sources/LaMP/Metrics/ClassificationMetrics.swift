/// Accuracy and macro-F1 of a classification task, as LaMP's evaluator computes them.
public struct ClassificationScores: Sendable, Hashable {
    /// Fraction of examples whose prediction maps to the gold's label index.
    public var accuracy: Double
    /// Mean over the label list of each label's F1 (scikit-learn `f1_score(average="macro")`).
    public var f1: Double
}

/// The classification metrics of LaMP_1, LaMP_2 and LaMP_2N.
///
/// Port of LaMP's `eval/evaluation.py` `create_metric_f1_accuracy`: both strings are stripped
/// (`str.strip()`), mapped to their index in the label list (unknown → -1), then
///
/// - accuracy = mean of (prediction index == gold index). Two unknown strings both map to -1 and
///   so count as a match, exactly as in LaMP;
/// - macro F1 over label indices 0..L-1 with scikit-learn semantics: per label
///   F1 = 2·tp / (support + predicted), 0 when the label has neither support nor predictions;
///   -1 predictions count as a miss of the gold's label and as nobody's false positive.
public enum ClassificationMetrics {
    /// The label index of `text` after stripping, or -1 when it is not in `labels`.
    ///
    /// Strings are compared code point by code point, as Python's `list.index` does (not by
    /// Swift's canonical equivalence).
    public static func labelIndex(_ text: String, labels: [String]) -> Int {
        let stripped = PythonText.strip(text).unicodeScalars
        return labels.firstIndex { $0.unicodeScalars.elementsEqual(stripped) } ?? -1
    }

    /// Scores predictions against golds, pairwise in order.
    ///
    /// - Parameters:
    ///   - golds: The gold answers.
    ///   - predictions: The predictions, one per gold.
    ///   - labels: The task's label list, in LaMP's order.
    /// - Throws: `MetricsError.countMismatch` or `.noExamples`.
    public static func scores(golds: [String], predictions: [String], labels: [String]) throws
        -> ClassificationScores
    {
        guard golds.count == predictions.count else {
            throw MetricsError.countMismatch(golds: golds.count, predictions: predictions.count)
        }
        guard !golds.isEmpty else { throw MetricsError.noExamples(task: "classification") }
        func map(_ s: String) -> Int { labelIndex(s, labels: labels) }

        let L = labels.count
        var truePositives = [Int](repeating: 0, count: L)
        var support = [Int](repeating: 0, count: L)
        var predicted = [Int](repeating: 0, count: L)
        var correct = 0
        for (g, p) in zip(golds, predictions) {
            let gi = map(g)
            let pi = map(p)
            if gi == pi { correct += 1 }
            if gi >= 0 { support[gi] += 1 }
            if pi >= 0 { predicted[pi] += 1 }
            if gi == pi && gi >= 0 { truePositives[gi] += 1 }
        }
        let f1PerLabel = (0..<L).map { l -> Double in
            let denominator = support[l] + predicted[l]
            return denominator == 0 ? 0 : 2 * Double(truePositives[l]) / Double(denominator)
        }
        return ClassificationScores(
            accuracy: Double(correct) / Double(golds.count),
            f1: PythonText.numpyMean(f1PerLabel))
    }
}
