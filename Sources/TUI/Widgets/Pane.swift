/// Draws a bordered pane with its title in the top border; the border shows focus.
///
/// - Returns: the inside of the border.
@discardableResult
public func drawPane(_ canvas: inout Canvas, _ rect: Rect, title: String, focused: Bool) -> Rect {
    guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
    let role: StyleRole = focused ? .focusedBorder : .border
    let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
    let horizontal = focused ? "━" : "─"
    let vertical = focused ? "┃" : "│"
    for x in (rect.x + 1)..<right {
        canvas.set(x, rect.y, Cell(text: horizontal, role: role))
        canvas.set(x, bottom, Cell(text: horizontal, role: role))
    }
    for y in (rect.y + 1)..<bottom {
        canvas.set(rect.x, y, Cell(text: vertical, role: role))
        canvas.set(right, y, Cell(text: vertical, role: role))
    }
    canvas.set(rect.x, rect.y, Cell(text: focused ? "┏" : "┌", role: role))
    canvas.set(right, rect.y, Cell(text: focused ? "┓" : "┐", role: role))
    canvas.set(rect.x, bottom, Cell(text: focused ? "┗" : "└", role: role))
    canvas.set(right, bottom, Cell(text: focused ? "┛" : "┘", role: role))
    if rect.width > 6 {
        let text = " " + DisplayWidth.truncate(title, to: rect.width - 6) + " "
        canvas.put(text, x: rect.x + 2, y: rect.y, role: .title)
    }
    let inner = rect.inset(1)
    canvas.fill(inner, role: .normal)
    return inner
}

/// A piece of text in one style.
public struct Span: Hashable, Sendable {
    /// The text.
    public var text: String
    /// Its style role.
    public var role: StyleRole
    /// `text` drawn in `role`.
    public init(_ text: String, _ role: StyleRole = .normal) {
        self.text = text
        self.role = role
    }
}

/// Draws spans left to right within `width` columns. Returns the columns used.
@discardableResult
public func drawSpans(_ canvas: inout Canvas, _ spans: [Span], x: Int, y: Int, width: Int) -> Int {
    var column = 0
    for span in spans where column < width {
        column += canvas.put(span.text, x: x + column, y: y, role: span.role, maxWidth: width - column)
    }
    return column
}

/// Draws a scrolling list: `rows` items, each drawn by `row(index)` as spans; the cursor row
/// is highlighted with the selection role (dimmer when the list is not focused); spans in the
/// highlight role stay marked.
public func drawList(
    _ canvas: inout Canvas, _ rect: Rect, state: ListState, count: Int, focused: Bool,
    row: (Int) -> [Span]
) {
    guard rect.width > 0 else { return }
    for line in 0..<rect.height {
        let index = state.scroll + line
        guard index < count else { break }
        let y = rect.y + line
        let selected = index == state.cursor
        if selected {
            let role: StyleRole = focused ? .selection : .selectionUnfocused
            canvas.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: role)
            // matched terms stay marked inside the selection bar
            let marked: StyleRole = focused ? .selectionHighlight : .highlight
            let spans = row(index).map { Span($0.text, $0.role == .highlight ? marked : role) }
            drawSpans(&canvas, spans, x: rect.x, y: y, width: rect.width)
        } else {
            drawSpans(&canvas, row(index), x: rect.x, y: y, width: rect.width)
        }
    }
    // a scroll indicator when the list is longer than the pane
    if count > rect.height, rect.height > 0 {
        let position = rect.height == 1 ? 0 : state.scroll * (rect.height - 1) / max(1, count - rect.height)
        canvas.set(rect.x + rect.width, rect.y + min(rect.height - 1, position), Cell(text: "▐", role: .dim))
    }
}

/// Pads or truncates `text` to exactly `width` columns.
public func column(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
    let cut = DisplayWidth.truncate(text, to: width)
    let pad = String(repeating: " ", count: max(0, width - DisplayWidth.of(cut)))
    return alignRight ? pad + cut : cut + pad
}
