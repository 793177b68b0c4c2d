import Foundation
import LaMP

/// HYDRA's label rules (§1): exact match after the reference's post-processing for
/// classification, (ROUGE-1 + ROUGE-L) / 2 for generation.
public enum LabelRules {
    /// The reference's match: lower-case and trim both, cut each at its first `,` or `!` (and the
    /// output just after its first `]`), then the gold must occur in the output. LaMP_3 compares
    /// trimmed strings.
    public static func matches(output: String, gold: String, task: LaMPTask) -> Bool {
        if task == .productRating { return PythonText.strip(output) == PythonText.strip(gold) }
        func cut(_ s: String) -> String {
            var t = PythonText.strip(s.lowercased())
            if let i = t.firstIndex(where: { $0 == "," || $0 == "!" }) { t = String(t[..<i]) }
            return t
        }
        var out = cut(output)
        if let i = out.firstIndex(of: "]") { out = String(out[...i]) }
        let g = cut(gold)
        return !g.isEmpty && out.contains(g)
    }

    /// (ROUGE-1 F + ROUGE-L F) / 2 of `output` against `gold`.
    public static func rougeScore(output: String, gold: String) -> Double {
        let rouge = Rouge()
        return (rouge.rouge1(prediction: output, reference: gold).fMeasure
            + rouge.rougeL(prediction: output, reference: gold).fMeasure) / 2
    }

    /// Reranker labels for one query from the LLM's answer with each item alone in the prompt:
    /// classification/rating: 1 when the answer matches the gold; generation: 1 when the item's
    /// score is above the mean score of the query's items.
    public static func rerankerLabels(answers: [String], gold: String, task: LaMPTask) -> [Int] {
        switch task.family {
        case .classification, .rating:
            return answers.map { matches(output: $0, gold: gold, task: task) ? 1 : 0 }
        case .generation:
            let scores = answers.map { rougeScore(output: $0, gold: gold) }
            let mean = scores.reduce(0, +) / Double(max(1, scores.count))
            return scores.map { $0 > mean ? 1 : 0 }
        }
    }

    /// Adapter examples for one prompt: (candidate text, label) pairs. Classification: each
    /// candidate labelled by match. Generation: the candidates labelled 0 plus the gold as a
    /// positive, or (with `rougeAboveMean`) candidates labelled by ROUGE above their mean.
    public static func adapterExamples(candidates: [String], gold: String, task: LaMPTask, rougeAboveMean: Bool)
        -> [(text: String, label: Int)]
    {
        adapterExamples(candidates: candidates, gold: gold, task: task, scheme: rougeAboveMean ? .rouge : .gold)
    }

    /// Adapter examples for one prompt under `scheme`: classification and rating label each
    /// candidate by match whatever the scheme; generation: `.gold` the candidates 0 and the gold
    /// itself 1 (HYDRA's reference), `.rouge` the candidates above their mean ROUGE 1, `.listwise`
    /// the first candidate with the best ROUGE 1 and the rest 0 (every 0 when all tie: such a list
    /// teaches nothing, and the listwise loss skips it).
    public static func adapterExamples(candidates: [String], gold: String, task: LaMPTask, scheme: AdapterLabels)
        -> [(text: String, label: Int)]
    {
        switch task.family {
        case .classification, .rating:
            return candidates.map { ($0, matches(output: $0, gold: gold, task: task) ? 1 : 0) }
        case .generation:
            switch scheme {
            case .gold:
                return candidates.map { ($0, 0) } + [(gold, 1)]
            case .rouge:
                return Array(zip(candidates, rerankerLabels(answers: candidates, gold: gold, task: task))).map { ($0.0, $0.1) }
            case .listwise:
                let scores = candidates.map { rougeScore(output: $0, gold: gold) }
                guard let best = scores.max(), let worst = scores.min(), best > worst,
                    let target = scores.firstIndex(of: best)
                else { return candidates.map { ($0, 0) } }
                return candidates.enumerated().map { ($0.element, $0.offset == target ? 1 : 0) }
            }
        }
    }
}
