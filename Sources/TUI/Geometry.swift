/// A terminal size in columns and rows.
public struct Size: Hashable, Sendable {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int
    /// A size of `width` columns and `height` rows.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// A cell position (column `x`, row `y`, zero-based from the top left).
public struct Point: Hashable, Sendable {
    /// Column, from the left.
    public var x: Int
    /// Row, from the top.
    public var y: Int
    /// The point at column `x`, row `y`.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    /// Column, from the left.
    public var x: Int
    /// Row, from the top.
    public var y: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// A rectangle; negative sizes become empty.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The rectangle shrunk by `n` cells on every side (the inside of a border).
    public func inset(_ n: Int) -> Rect {
        Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n)
    }

    /// Whether `point` lies inside.
    public func contains(_ point: Point) -> Bool {
        point.x >= x && point.x < x + width && point.y >= y && point.y < y + height
    }

    /// Splits into a left part `leftWidth` wide and the rest.
    public func splitColumns(_ leftWidth: Int) -> (Rect, Rect) {
        let l = min(max(0, leftWidth), width)
        return (Rect(x: x, y: y, width: l, height: height), Rect(x: x + l, y: y, width: width - l, height: height))
    }

    /// Splits into a top part `topHeight` high and the rest.
    public func splitRows(_ topHeight: Int) -> (Rect, Rect) {
        let t = min(max(0, topHeight), height)
        return (Rect(x: x, y: y, width: width, height: t), Rect(x: x, y: y + t, width: width, height: height - t))
    }
}
