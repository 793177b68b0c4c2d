/// The cursor and scroll offset of a list or table.
public struct ListState: Hashable, Sendable {
    /// The selected row.
    public var cursor = 0
    /// The first visible row.
    public var scroll = 0

    public init(cursor: Int = 0, scroll: Int = 0) {
        self.cursor = cursor
        self.scroll = scroll
    }

    /// Moves the cursor by `delta`, clamped to `0..<count`.
    public mutating func move(by delta: Int, count: Int) {
        let target = Int(clamping: Int64(cursor) + Int64(delta))
        cursor = count == 0 ? 0 : min(max(0, target), count - 1)
    }

    /// Adjusts the scroll offset so the cursor is inside a viewport of `height` rows.
    public mutating func keepVisible(height: Int, count: Int) {
        cursor = count == 0 ? 0 : min(max(0, cursor), count - 1)
        guard height > 0 else { scroll = 0; return }
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, min(scroll, max(0, count - height)))
    }

    /// Applies a list movement action for a viewport of `height` rows; false for other actions.
    public mutating func apply(_ action: Action, count: Int, height: Int) -> Bool {
        switch action {
        case .moveUp: move(by: -1, count: count)
        case .moveDown: move(by: 1, count: count)
        case .pageUp: move(by: -max(1, height - 1), count: count)
        case .pageDown: move(by: max(1, height - 1), count: count)
        case .top: move(by: Int.min / 2, count: count)
        case .bottom: move(by: Int.max / 2, count: count)
        default: return false
        }
        keepVisible(height: height, count: count)
        return true
    }
}

/// A table column: its title, width rule and alignment.
public struct TableColumn: Sendable {
    /// The header text.
    public var title: String
    /// Fixed width in columns, or nil to take what the fixed columns leave (shared equally).
    public var width: Int?
    /// Numbers align right.
    public var alignRight: Bool

    public init(_ title: String, width: Int? = nil, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}

/// A table pane's rows, columns, cursor and sort marker: a new table costs a row renderer.
///
/// Owns the column layout (``widths(for:)``), drawing (``draw(_:in:focused:row:)``) and mouse
/// hit-testing (``row(at:in:)``), so a screen never recomputes where a row is.
public struct TableView: Sendable {
    public var columns: [TableColumn]
    /// The column index the rows are sorted by, and whether descending (shown in the header).
    public var sortColumn: Int?
    public var sortDescending = false

    public init(columns: [TableColumn], sortColumn: Int? = nil, sortDescending: Bool = false) {
        self.columns = columns
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
    }

    /// The widths of the columns inside `width` columns (one space between columns).
    public func widths(for width: Int) -> [Int] {
        let fixed = columns.compactMap(\.width).reduce(0, +) + max(0, columns.count - 1)
        let flexible = columns.filter { $0.width == nil }.count
        let share = flexible == 0 ? 0 : max(4, (width - fixed) / flexible)
        return columns.map { $0.width ?? share }
    }

    /// Rows of content that fit in a table drawn in `rect` (the inside of a pane): one row
    /// goes to the header.
    public static func bodyHeight(_ rect: Rect) -> Int { max(0, rect.height - 1) }

    /// The row index under `point` for a table drawn in `rect` with `state`, if any.
    public static func row(at point: Point, in rect: Rect, state: ListState, count: Int) -> Int? {
        let line = point.y - (rect.y + 1)
        guard rect.contains(point), line >= 0, line < bodyHeight(rect) else { return nil }
        let index = state.scroll + line
        return index < count ? index : nil
    }

    /// Draws the header and the visible rows in `rect`; `row(index)` gives a row's cells, one
    /// array of spans per column.
    public func draw(
        _ canvas: inout Canvas, in rect: Rect, state: ListState, count: Int, focused: Bool, empty: String = "nothing to show",
        row: (Int) -> [[Span]]
    ) {
        guard rect.width > 2, rect.height > 0 else { return }
        let widths = widths(for: rect.width - 1)
        var header = ""
        for (i, column) in columns.enumerated() {
            var title = column.title
            if sortColumn == i { title += sortDescending ? "▼" : "▲" }
            header += (i == 0 ? "" : " ") + TUI.column(title, widths[i], alignRight: column.alignRight)
        }
        canvas.put(header, x: rect.x, y: rect.y, role: .header, maxWidth: rect.width)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width - 1, height: TableView.bodyHeight(rect))
        if count == 0 { canvas.put(empty, x: body.x + 1, y: body.y, role: .dim, maxWidth: body.width - 1) }
        drawList(&canvas, body, state: state, count: count, focused: focused) { index in
            let cells = row(index)
            var spans: [Span] = []
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : []
                if i > 0 { spans.append(Span(" ")) }
                spans += fit(cell, width: widths[i], alignRight: column.alignRight)
            }
            return spans
        }
    }

    /// Pads or cuts spans to exactly `width` columns.
    func fit(_ spans: [Span], width: Int, alignRight: Bool) -> [Span] {
        var out: [Span] = []
        var used = 0
        for span in spans where used < width {
            let cut = DisplayWidth.truncate(span.text, to: width - used)
            used += DisplayWidth.of(cut)
            out.append(Span(cut, span.role))
        }
        let pad = Span(String(repeating: " ", count: max(0, width - used)))
        return alignRight ? [pad] + out : out + [pad]
    }
}
