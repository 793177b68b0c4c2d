/// One terminal cell: the grapheme drawn there and its style role.
///
/// A wide (two-column) grapheme occupies its cell and the next one; that second cell is a
/// *continuation* with empty text, so backends skip it.
public struct Cell: Hashable, Sendable {
    /// The grapheme (empty for a wide grapheme's right half).
    public var text: String
    /// How it is styled.
    public var role: StyleRole

    /// A cell showing `text` in `role`.
    public init(text: String, role: StyleRole) {
        self.text = text
        self.role = role
    }

    /// A blank cell in the normal style.
    public static let blank = Cell(text: " ", role: .normal)

    /// Whether this cell is the right half of a wide grapheme.
    public var isContinuation: Bool { text.isEmpty }
}

/// A grid of cells that views draw into: the in-memory screen of tests and of the frame
/// benchmark, and the back buffer every terminal backend diffs against its front buffer.
public struct Canvas: Hashable, Sendable {
    /// The grid size.
    public private(set) var size: Size
    /// Row-major cells, `size.width * size.height` of them.
    public private(set) var cells: [Cell]

    /// A blank canvas of `size`.
    public init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: .blank, count: self.size.width * self.size.height)
    }

    /// The whole canvas as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    /// The cell at column `x`, row `y` (a blank cell outside the canvas).
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
        return cells[y * size.width + x]
    }

    /// Resets every cell to blank.
    public mutating func clear() {
        for i in cells.indices { cells[i] = .blank }
    }

    /// Fills `rect` (clipped to the canvas) with `character` in `role`.
    public mutating func fill(_ rect: Rect, role: StyleRole, character: String = " ") {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.x + rect.width)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.y + rect.height)
        guard x0 < x1, y0 < y1 else { return }
        let cell = Cell(text: character, role: role)
        for y in y0..<y1 {
            for x in x0..<x1 { set(x, y, cell) }
        }
    }

    /// Writes `text` from (`x`, `y`) in `role`, at most `maxWidth` columns (to the canvas edge
    /// when nil); wide graphemes that do not fit are not drawn. Control characters become spaces.
    /// - Returns: the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let limit = min(size.width, maxWidth.map { x + max(0, $0) } ?? size.width)
        var column = x
        for character in text {
            if column >= limit { break }
            var width = DisplayWidth.of(character)
            var glyph = String(character)
            if width == 0 {
                // a lone control or format character: show a space so columns stay aligned
                if character.isWhitespace || character.unicodeScalars.first.map({ $0.value < 0x20 }) == true {
                    glyph = " "
                    width = 1
                } else {
                    continue
                }
            }
            if column + width > limit { break }
            if column >= 0 {
                set(column, y, Cell(text: glyph, role: role))
                if width == 2 { set(column + 1, y, Cell(text: "", role: role)) }
            }
            column += width
        }
        return max(0, column - x)
    }

    /// Sets the role of the cells in `rect` without changing their text.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.x + rect.width)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.y + rect.height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * size.width + x].role = role }
        }
    }

    /// Sets one cell, keeping wide graphemes whole: overwriting either half of a wide
    /// grapheme blanks the other half.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
        let i = y * size.width + x
        let old = cells[i]
        if old.isContinuation, x > 0, !cell.isContinuation {
            cells[i - 1] = Cell(text: " ", role: cells[i - 1].role)
        }
        if !old.isContinuation, x + 1 < size.width, cells[i + 1].isContinuation, DisplayWidth.of(old.text) == 2 {
            cells[i + 1] = Cell(text: " ", role: old.role)
        }
        if cell.isContinuation, x == 0 { return }
        cells[i] = cell
        // a wide grapheme in the last column cannot be shown
        if !cell.isContinuation, x == size.width - 1, cell.text.utf8.count > 1, DisplayWidth.of(cell.text) == 2 {
            cells[i] = Cell(text: " ", role: cell.role)
        }
    }

    /// The text of row `y` with trailing spaces removed.
    public func row(_ y: Int) -> String {
        var line = ""
        for x in 0..<size.width { line += self[x, y].text }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// The whole canvas as text, one line per row, trailing spaces removed (golden files).
    public func dump() -> String {
        (0..<size.height).map(row).joined(separator: "\n") + "\n"
    }

    /// Whether any row contains `text`.
    public func contains(_ text: String) -> Bool {
        (0..<size.height).contains { row($0).contains(text) }
    }

    /// The position of the first occurrence of `text`, searching rows top to bottom.
    public func find(_ text: String) -> Point? {
        for y in 0..<size.height {
            let line = row(y)
            if let range = line.range(of: text) {
                return Point(x: DisplayWidth.of(String(line[..<range.lowerBound])), y: y)
            }
        }
        return nil
    }

    // MARK: - Diffing

    /// A horizontal run of changed cells on one row.
    public struct Run: Hashable, Sendable {
        /// First column of the run.
        public var x: Int
        /// Its row.
        public var y: Int
        /// The new cells, left to right.
        public var cells: [Cell]
    }

    /// The runs of cells that differ from `front` (the screen as last drawn); every row when
    /// the sizes differ. Backends write only these.
    public func changedRuns(since front: Canvas?) -> [Run] {
        var runs: [Run] = []
        let w = size.width
        let full = front == nil || front!.size != size
        for y in 0..<size.height {
            var x = 0
            while x < w {
                let i = y * w + x
                if !full, cells[i] == front!.cells[i] {
                    x += 1
                    continue
                }
                var end = x + 1
                while end < w, full || cells[y * w + end] != front!.cells[y * w + end] { end += 1 }
                // include the head of a wide grapheme whose continuation changed
                var start = x
                if start > 0, cells[i].isContinuation { start -= 1 }
                runs.append(Run(x: start, y: y, cells: Array(cells[(y * w + start)..<(y * w + end)])))
                x = end
            }
        }
        return runs
    }
}
