import WorkbenchAPI

/// A question's report as a screen holds it: on its way, here, or failed.
public enum QuestionLoad: Sendable {
    case pending(JobID)
    case loaded(QuestionReport)
    case failed(String)

    var report: QuestionReport? { if case .loaded(let r) = self { r } else { nil } }

    /// The report, or (drawn in its place while it is on its way or after it failed) what the
    /// question and outputs screens both show instead.
    func reportOrPlaceholder(_ canvas: inout Canvas, body: Rect, questionID: String, title: String) -> QuestionReport? {
        switch self {
        case .loaded(let report):
            return report
        case .pending:
            canvas.put("inspecting \(DisplayText.clip(questionID, 40))… (cached LLM calls are free; new ones run in the background)",
                       x: body.x + 2, y: body.y + 1, role: .dim, maxWidth: body.width - 4)
        case .failed(let message):
            let box = Rect(x: body.x, y: body.y, width: body.width, height: min(body.height, 8))
            let inner = drawPane(&canvas, box, title: "\(title) \(DisplayText.clip(questionID, 30))", focused: true)
            for (i, line) in TextWrap.wrap(DisplayText.line(message), width: inner.width - 2).prefix(inner.height).enumerated() {
                canvas.put(line, x: inner.x + 1, y: inner.y + i, role: .error)
            }
        }
        return nil
    }
}

/// A counterfactual's state, by item and kind.
public struct CounterfactualKey: Hashable, Sendable {
    public var itemID: String
    public var kind: CounterfactualKind
}

public enum CounterfactualState: Sendable {
    case running(JobID)
    case done(CounterfactualReport)
    case failed(String)
}

/// The three rankings of a report's items, each as item indices in its own order.
struct Rankings {
    var bm25: [Int]
    var base: [Int]
    var personal: [Int]

    init(_ report: QuestionReport) {
        let items = report.items
        bm25 = items.indices.sorted { items[$0].bm25Rank < items[$1].bm25Rank }
        base = items.indices.sorted { (items[$0].baseRank ?? Int.max, items[$0].bm25Rank) < (items[$1].baseRank ?? Int.max, items[$1].bm25Rank) }
        personal = items.indices.sorted {
            (items[$0].personalRank ?? Int.max, items[$0].bm25Rank) < (items[$1].personalRank ?? Int.max, items[$1].bm25Rank)
        }
    }

    func order(_ column: QuestionScreen.Column) -> [Int] {
        switch column {
        case .bm25: bm25
        case .base: base
        case .personal: personal
        }
    }
}

/// `↑3`, `↓2`, `=`: how many places an item moved from `from` to `to` (1-based ranks).
func shift(from: Int?, to: Int?) -> (text: String, role: StyleRole) {
    guard let from, let to else { return ("", .dim) }
    if to < from { return ("↑\(from - to)", .scoreUp) }
    if to > from { return ("↓\(to - from)", .scoreDown) }
    return ("=", .dim)
}
