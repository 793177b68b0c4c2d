/// Precision, recall and F-measure of one ROUGE comparison.
public struct RougeScore: Sendable, Hashable {
    public var precision: Double
    public var recall: Double
    public var fMeasure: Double

    /// Creates a score.
    public init(precision: Double, recall: Double, fMeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fMeasure = fMeasure
    }

    /// All zero (an empty side).
    public static let zero = RougeScore(precision: 0, recall: 0, fMeasure: 0)

    /// `rouge_score.scoring.fmeasure`: 2PR / (P + R), or 0 when P + R is 0.
    init(precision: Double, recall: Double) {
        self.init(
            precision: precision, recall: recall,
            fMeasure: precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
    }
}

/// ROUGE-1 and ROUGE-L exactly as Google's `rouge_score` 0.1.2 computes them
/// (`RougeScorer(["rouge1", "rougeL"], use_stemmer:)`).
///
/// Tokens: the text lower-cased (full Unicode mapping, as Python's `str.lower()`), every run of
/// characters outside `[a-z0-9]` made a separator (so accented letters, CJK, emoji split words
/// and vanish), and, with the stemmer, each token longer than 3 characters Porter-stemmed
/// (NLTK's `PorterStemmer` in its default `NLTK_EXTENSIONS` mode).
///
/// - ROUGE-1: unigram overlap Σ min(count_ref, count_pred); P = overlap / max(|pred|, 1),
///   R = overlap / max(|ref|, 1).
/// - ROUGE-L: longest common subsequence of the token lists; all zero when either is empty;
///   P = lcs / |pred|, R = lcs / |ref|.
public struct Rouge: Sendable {
    /// Whether tokens longer than 3 characters are Porter-stemmed.
    public let useStemmer: Bool

    /// Creates a scorer; LaMP uses no stemmer.
    public init(useStemmer: Bool = false) {
        self.useStemmer = useStemmer
    }

    /// `rouge_score`'s tokens of `text`.
    public func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let token = String(current)
            tokens.append(useStemmer && current.count > 3 ? PorterStemmer.stem(token) : token)
            current = String.UnicodeScalarView()
        }
        for s in text.lowercased().unicodeScalars {
            if (s >= "a" && s <= "z") || (s >= "0" && s <= "9") {
                current.append(s)
            } else {
                flush()
            }
        }
        flush()
        return tokens.filter { !$0.isEmpty }
    }

    /// ROUGE-1 of a prediction against its reference.
    public func rouge1(prediction: String, reference: String) -> RougeScore {
        Self.rouge1(prediction: tokenize(prediction), reference: tokenize(reference))
    }

    /// ROUGE-L of a prediction against its reference.
    public func rougeL(prediction: String, reference: String) -> RougeScore {
        Self.rougeL(prediction: tokenize(prediction), reference: tokenize(reference))
    }

    /// ROUGE-1 of token lists.
    public static func rouge1(prediction: [String], reference: [String]) -> RougeScore {
        var counts: [String: Int] = [:]
        for t in reference { counts[t, default: 0] += 1 }
        var overlap = 0
        for t in prediction {
            if let c = counts[t], c > 0 {
                overlap += 1
                counts[t] = c - 1
            }
        }
        return RougeScore(
            precision: Double(overlap) / Double(max(prediction.count, 1)),
            recall: Double(overlap) / Double(max(reference.count, 1)))
    }

    /// ROUGE-L of token lists.
    public static func rougeL(prediction: [String], reference: [String]) -> RougeScore {
        guard !prediction.isEmpty && !reference.isEmpty else { return .zero }
        let lcs = Double(lcsLength(reference, prediction))
        return RougeScore(
            precision: lcs / Double(prediction.count), recall: lcs / Double(reference.count))
    }

    /// Length of the longest common subsequence (the standard DP, one row at a time).
    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var row = previous
        for i in 1...a.count {
            for j in 1...b.count {
                row[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], row[j - 1])
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}

/// Mean ROUGE F-measures over examples, as LaMP reports them (`rouge-1`, `rouge-L`).
public struct GenerationScores: Sendable, Hashable {
    /// Mean ROUGE-1 F over the examples.
    public var rouge1: Double
    /// Mean ROUGE-L F over the examples.
    public var rougeL: Double
}

extension Rouge {
    /// Mean ROUGE-1 and ROUGE-L F-measures of predictions against golds, pairwise in order.
    ///
    /// LaMP strips both strings first (which changes no token). The mean is the plain arithmetic
    /// mean over examples (numpy's summation order), not `evaluate`'s bootstrap median estimate.
    ///
    /// - Throws: `MetricsError.countMismatch` or `.noExamples`.
    public func scores(golds: [String], predictions: [String]) throws -> GenerationScores {
        guard golds.count == predictions.count else {
            throw MetricsError.countMismatch(golds: golds.count, predictions: predictions.count)
        }
        guard !golds.isEmpty else { throw MetricsError.noExamples(task: "generation") }
        var r1: [Double] = []
        var rL: [Double] = []
        for (g, p) in zip(golds, predictions) {
            let reference = tokenize(g)
            let prediction = tokenize(p)
            r1.append(Self.rouge1(prediction: prediction, reference: reference).fMeasure)
            rL.append(Self.rougeL(prediction: prediction, reference: reference).fMeasure)
        }
        return GenerationScores(rouge1: PythonText.numpyMean(r1), rougeL: PythonText.numpyMean(rL))
    }
}
