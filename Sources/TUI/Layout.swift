/// Where everything goes for a model's screen and size; shared by ``view(_:into:)`` (drawing)
/// and ``update(_:_:)`` (mouse hits and scrolling), so the two never disagree.
public struct Layout: Hashable, Sendable {
    /// The header row.
    public var header: Rect
    /// The status row (also the command line / filter input).
    public var status: Rect
    /// The focusable panes (outer rectangles, borders included).
    public var panes: [PaneID: Rect]
    /// The users screen's profile preview (side-by-side layout only).
    public var preview: Rect?

    /// The layout for `model`.
    public init(_ model: AppModel) {
        let w = model.size.width, h = model.size.height
        header = Rect(x: 0, y: 0, width: w, height: 1)
        status = Rect(x: 0, y: h - 1, width: w, height: 1)
        let body = Rect(x: 0, y: 1, width: w, height: h - 2)
        panes = [:]
        preview = nil
        switch model.screen {
        case .users:
            if model.isWide {
                let (left, right) = body.splitColumns(body.width * 3 / 5)
                panes[.users] = left
                preview = right
            } else {
                panes[.users] = body
            }
        case .user:
            if model.isWide {
                let (left, right) = body.splitColumns(body.width / 2)
                let (top, bottom) = left.splitRows(left.height / 2)
                panes[.profile] = top
                panes[.questions] = bottom
                panes[.retrieved] = right
            } else {
                let third = body.height / 3
                let (top, rest) = body.splitRows(third)
                let (middle, bottom) = rest.splitRows(third)
                panes[.profile] = top
                panes[.questions] = middle
                panes[.retrieved] = bottom
            }
        }
    }

    /// Rows of list content inside `pane` (the users table loses one row to its header; the
    /// retrieved list shares its pane with the selected item's text).
    public func listHeight(_ pane: PaneID) -> Int {
        guard let rect = panes[pane] else { return 0 }
        let inner = rect.inset(1).height
        switch pane {
        case .users: return max(0, inner - 1)
        case .retrieved: return Layout.retrievedListHeight(inner)
        default: return inner
        }
    }

    /// The retrieved pane's list rows for an inner height: half the pane, the rest shows text.
    static func retrievedListHeight(_ inner: Int) -> Int {
        inner >= 8 ? inner / 2 : inner
    }

    /// The pane containing `point`.
    public func pane(at point: Point) -> PaneID? {
        panes.first(where: { $0.value.contains(point) })?.key
    }
}
