import WorkbenchAPI

/// Live training loss: every series (shared phase and each head fit) in a list, the selected
/// one plotted raw and smoothed, or the heads of one model as small multiples or as their mean
/// and spread.
public struct TrainingScreen: Screen {
    /// How much of a series the plot shows.
    public enum Window: CaseIterable, Sendable {
        case all, last500, last100
        var steps: Int? {
            switch self {
            case .all: nil
            case .last500: 500
            case .last100: 100
            }
        }
        var label: String { steps.map { "last \($0) steps" } ?? "all steps" }
    }

    /// What the plot shows.
    public enum Mode: CaseIterable, Sendable {
        case selected, smallMultiples, meanSpread
        var label: String {
            switch self {
            case .selected: "selected series"
            case .smallMultiples: "heads as small multiples"
            case .meanSpread: "heads: mean and spread"
            }
        }
    }

    static let scope = ActionScope.training
    var route: Route { .training }

    public internal(set) var list = ListState()
    public internal(set) var window: Window = .all
    public internal(set) var logScale = false
    public internal(set) var mode: Mode = .selected
    /// The model whose heads the multiples and the spread show.
    public internal(set) var headsModel = "reranker"

    init() {}

    func title(_ app: AppModel) -> String { "training" }

    mutating func perform(_ action: Action, _ app: inout AppModel) -> [Command] {
        let count = app.run.losses.curves.count
        if list.apply(action, count: count, height: TrainingLayout(app.body).listHeight) {
            if let curve = selected(app), curve.id.model != headsModel { headsModel = curve.id.model }
            return []
        }
        switch action {
        case .cycleWindow:
            window = Window.allCases[((Window.allCases.firstIndex(of: window) ?? 0) + 1) % Window.allCases.count]
            app.setInfo("window: \(window.label)")
        case .toggleLogScale:
            logScale.toggle()
            app.setInfo("loss axis: \(logScale ? "log" : "linear")")
        case .cycleSeriesMode:
            mode = Mode.allCases[((Mode.allCases.firstIndex(of: mode) ?? 0) + 1) % Mode.allCases.count]
            app.setInfo("showing \(mode.label)")
        case .cycleModel:
            headsModel = headsModel == "reranker" ? "adapter" : "reranker"
            app.setInfo("heads of the \(headsModel)")
        default:
            break
        }
        return []
    }

    mutating func mouse(_ event: MouseEvent, body: Rect, _ app: inout AppModel) -> [Command] {
        let layout = TrainingLayout(body)
        let count = app.run.losses.curves.count
        switch event.kind {
        case .wheelUp: _ = list.apply(.moveUp, count: count, height: layout.listHeight)
        case .wheelDown: _ = list.apply(.moveDown, count: count, height: layout.listHeight)
        case .click:
            if let row = TableView.row(at: event.position, in: layout.list.inset(1), state: list, count: count) { list.cursor = row }
        }
        return []
    }

    mutating func layout(body: Rect) {
        list.keepVisible(height: TrainingLayout(body).listHeight, count: list.cursor + 1)
    }

    func selected(_ app: AppModel) -> LossCurve? {
        let curves = app.run.losses.curves
        return curves.indices.contains(list.cursor) ? curves[list.cursor] : curves.first
    }
}

struct TrainingLayout {
    var list: Rect
    var plot: Rect

    init(_ body: Rect) {
        let listWidth = min(48, max(34, body.width / 3))
        (list, plot) = body.splitColumns(listWidth)
    }

    var listHeight: Int { TableView.bodyHeight(list.inset(1)) }
}
