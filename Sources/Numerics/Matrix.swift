/// Errors raised by the numerics layer when data does not match the shape it claims.
public enum NumericsError: Error, Equatable, CustomStringConvertible {
    /// `count` values were given for a `rows` × `cols` matrix.
    case shapeMismatch(rows: Int, cols: Int, count: Int)
    /// A dimension was negative.
    case negativeDimension(rows: Int, cols: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(rows, cols, count):
            return "matrix shape (\(rows), \(cols)) needs \(rows * cols) values, got \(count)"
        case let .negativeDimension(rows, cols):
            return "matrix shape (\(rows), \(cols)) has a negative dimension"
        }
    }
}

/// A dense row-major matrix of `Float` over one contiguous buffer.
///
/// Element `(r, c)` lives at `data[r * cols + c]`. A vector is a matrix with one row. The shape is
/// fixed at creation; every BLAS wrapper checks shapes with `precondition` (a shape mismatch
/// between two matrices is a programmer error, while bad *data* is rejected by the throwing init).
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns (the contiguous dimension).
    public let cols: Int
    /// The `rows * cols` values, row-major.
    public var data: [Float]

    /// A matrix filled with one value.
    /// - Parameters:
    ///   - rows: number of rows (≥ 0).
    ///   - cols: number of columns (≥ 0).
    ///   - value: the fill value, 0 by default.
    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "negative matrix dimension (\(rows), \(cols))")
        self.rows = rows
        self.cols = cols
        self.data = [Float](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major values.
    /// - Throws: `NumericsError.shapeMismatch` when `data.count != rows * cols`.
    public init(rows: Int, cols: Int, data: [Float]) throws {
        guard rows >= 0, cols >= 0 else { throw NumericsError.negativeDimension(rows: rows, cols: cols) }
        guard data.count == rows * cols else {
            throw NumericsError.shapeMismatch(rows: rows, cols: cols, count: data.count)
        }
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// A matrix from nested rows; every row must have the same length.
    /// - Throws: `NumericsError.shapeMismatch` when rows differ in length.
    public init(_ rowArrays: [[Float]]) throws {
        let cols = rowArrays.first?.count ?? 0
        var flat: [Float] = []
        flat.reserveCapacity(rowArrays.count * cols)
        for row in rowArrays {
            guard row.count == cols else {
                throw NumericsError.shapeMismatch(rows: rowArrays.count, cols: cols, count: row.count)
            }
            flat.append(contentsOf: row)
        }
        try self.init(rows: rowArrays.count, cols: cols, data: flat)
    }

    /// Number of elements, `rows * cols`.
    @inlinable public var count: Int { rows * cols }

    /// Element `(r, c)`.
    @inlinable public subscript(r: Int, c: Int) -> Float {
        get { data[r * cols + c] }
        set { data[r * cols + c] = newValue }
    }

    /// Row `r` as a new array of `cols` values.
    public func row(_ r: Int) -> [Float] {
        Array(data[(r * cols)..<((r + 1) * cols)])
    }

    /// The rows at `indices`, in that order: out (indices.count, cols).
    public func gatherRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, cols: cols)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for (i, r) in indices.enumerated() {
                    precondition(r >= 0 && r < rows, "row \(r) out of range 0..<\(rows)")
                    for c in 0..<cols { dst[i * cols + c] = src[r * cols + c] }
                }
            }
        }
        return out
    }

    /// Adds `source` row `i` into row `indices[i]` of `self` (the backward of `gatherRows`).
    public mutating func scatterAddRows(_ source: Matrix, to indices: [Int]) {
        precondition(source.cols == cols && source.rows == indices.count, "scatterAddRows shape mismatch")
        let n = cols
        source.data.withUnsafeBufferPointer { src in
            data.withUnsafeMutableBufferPointer { dst in
                for (i, r) in indices.enumerated() {
                    for c in 0..<n { dst[r * n + c] += src[i * n + c] }
                }
            }
        }
    }

    /// Sets every element to zero, keeping the buffer.
    public mutating func zero() {
        data.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = 0 }
        }
    }
}
