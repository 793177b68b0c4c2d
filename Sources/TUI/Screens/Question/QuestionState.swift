import WorkbenchAPI

/// A question's report as a screen holds it: on its way, here, or failed.
public enum QuestionLoad: Sendable {
    case pending(JobID)
    case loaded(QuestionReport)
    case failed(String)

    var report: QuestionReport? { if case .loaded(let r) = self { r } else { nil } }
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
