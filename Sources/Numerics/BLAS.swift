import Foundation
import CBLAS

/// Whether an operand of a matrix product is used as stored or transposed (no copy is made).
public enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose of the matrix.
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// `C (m, n) = alpha * op(A) (m, k) @ op(B) (k, n) + beta * C`, with `cblas_sgemm`.
///
/// `op(X)` is `X` or `Xᵀ` by the transpose flag; the transpose is read in place by BLAS.
/// - Parameters:
///   - a: `A`, (m, k) or (k, m) when transposed.
///   - b: `B`, (k, n) or (n, k) when transposed.
///   - c: `C`, (m, n), read when `beta != 0`, then overwritten.
public func gemm(
    _ a: Matrix, _ transA: Transpose, _ b: Matrix, _ transB: Transpose,
    into c: inout Matrix, alpha: Float = 1, beta: Float = 0
) {
    let m = transA == .none ? a.rows : a.cols
    let k = transA == .none ? a.cols : a.rows
    let kb = transB == .none ? b.rows : b.cols
    let n = transB == .none ? b.cols : b.rows
    precondition(k == kb, "gemm inner dimensions differ: op(A) is (\(m), \(k)), op(B) is (\(kb), \(n))")
    precondition(c.rows == m && c.cols == n, "gemm output is (\(c.rows), \(c.cols)), expected (\(m), \(n))")
    if m == 0 || n == 0 { return }
    if k == 0 {
        c.data.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= beta } }
        return
    }
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            c.data.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(
                    CblasRowMajor, transA.cblas, transB.cblas,
                    Int32(m), Int32(n), Int32(k), alpha,
                    pa.baseAddress, Int32(max(a.cols, 1)),
                    pb.baseAddress, Int32(max(b.cols, 1)),
                    beta, pc.baseAddress, Int32(max(n, 1)))
            }
        }
    }
}

/// `op(A) (m, k) @ op(B) (k, n)` as a new (m, n) matrix.
public func matmul(_ a: Matrix, _ transA: Transpose = .none, _ b: Matrix, _ transB: Transpose = .none) -> Matrix {
    let m = transA == .none ? a.rows : a.cols
    let n = transB == .none ? b.cols : b.rows
    var c = Matrix(rows: m, cols: n)
    gemm(a, transA, b, transB, into: &c)
    return c
}

/// `y (m,) = alpha * op(A) @ x + beta * y`, with `cblas_sgemv`; `A` is stored (rows, cols).
/// - Parameters:
///   - a: the matrix; `op(A)` is (rows, cols) or (cols, rows) when transposed.
///   - x: the input vector, length = columns of `op(A)`.
///   - y: the output vector, length = rows of `op(A)`.
public func gemv(
    _ a: Matrix, _ transA: Transpose, _ x: [Float], into y: inout [Float],
    alpha: Float = 1, beta: Float = 0
) {
    let outLength = transA == .none ? a.rows : a.cols
    let inLength = transA == .none ? a.cols : a.rows
    precondition(x.count == inLength, "gemv input has \(x.count) values, expected \(inLength)")
    precondition(y.count == outLength, "gemv output has \(y.count) values, expected \(outLength)")
    if outLength == 0 { return }
    if inLength == 0 {
        for i in y.indices { y[i] *= beta }
        return
    }
    a.data.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_sgemv(
                    CblasRowMajor, transA.cblas, Int32(a.rows), Int32(a.cols), alpha,
                    pa.baseAddress, Int32(max(a.cols, 1)), px.baseAddress, 1,
                    beta, py.baseAddress, 1)
            }
        }
    }
}

/// Controls OpenBLAS's own worker threads.
///
/// Work that is already spread over the cores (several heads fitted at once, several encoder
/// batches at once) runs each product on one thread: the cores are busy anyway, OpenBLAS's idle
/// workers would only spin, and results never depend on how OpenBLAS splits a product.
public enum BLASThreads {
    /// The number of threads OpenBLAS uses for one product.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS on one thread, then restores the previous count.
    ///
    /// The setting is process-wide, so scopes are counted: when two overlap (say an encoder batch
    /// and a head fit on different tasks) the first entry saves the count and the last exit
    /// restores it, instead of the earlier one restoring while the later still runs.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        scopes.enter()
        defer { scopes.exit() }
        return try body()
    }

    private static let scopes = SingleThreadScopes()
}

/// The count of open `BLASThreads.singleThreaded` scopes and the thread count to restore.
private final class SingleThreadScopes: @unchecked Sendable {
    private let lock = NSLock()
    private var depth = 0
    private var saved = 1

    func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            saved = Int(openblas_get_num_threads())
            openblas_set_num_threads(1)
        }
        depth += 1
    }

    func exit() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { openblas_set_num_threads(Int32(max(1, saved))) }
    }
}
