import CBLAS
import CKernels

/// A weight matrix W (rows, cols) as stored in the GGUF file: GGML blocks in the mapped file for
/// Q4_1 / Q8_0, or Floats for F32 / F16 / BF16 (converted once at load); for int8 products, the
/// quantized blocks repacked (`PackedWeights`).
///
/// The one operation is `Y (n, rows) = X (n, cols) @ W^T`, the matmul of run.c for n rows at once.
struct WeightMatrix: @unchecked Sendable {
    enum Storage {
        case quantized(GGMLType, UnsafeRawPointer)
        case dense([Float])
    }

    let name: String
    let rows: Int
    let cols: Int
    let storage: Storage
    /// The blocks repacked for integer products; set for quantized matrices of an int8 model.
    let packed: PackedWeights?

    /// Below this many input rows the SIMD mat-vec kernel is used; from it on, a block of W is
    /// dequantized into scratch and multiplied with sgemm (measured on the benchmark machine).
    static let gemmThreshold = 16
    /// Below this many multiply-adds one core does the product: waking the second core costs more
    /// than it saves (measured: a 576 x 576 mat-vec is faster on one core).
    static let parallelWork = 400_000
    /// Rows of W dequantized per sgemm call; scratch must hold `gemmBlockRows * cols` floats.
    static let gemmBlockRows = 2048

    /// Binds tensor `name` of `gguf`, checking that it is (rows, cols). With `.int8` a quantized
    /// tensor is repacked, and the file's pages of it are let go: the products read only the copy.
    init(_ gguf: GGUFFile, _ name: String, rows: Int, cols: Int, precision: ProductPrecision = .exact) throws {
        guard let info = gguf.info(name) else { throw GGUFError.missingTensor(name) }
        guard info.rowLength == cols, info.rowCount == rows, info.dims.count <= 2 else {
            throw GGUFError.shapeMismatch(name: name, expected: [cols, rows], found: info.dims)
        }
        self.name = name
        self.rows = rows
        self.cols = cols
        switch info.type {
        case .q4_1, .q8_0:
            storage = .quantized(info.type, gguf.data(of: info))
            packed = precision == .int8 ? PackedWeights(type: info.type, source: gguf.data(of: info), rows: rows, cols: cols) : nil
            if packed != nil { gguf.releaseResidentPages(of: info) }
        case .f32, .f16, .bf16:
            storage = .dense(try gguf.dequantized(name))
            packed = nil
        }
    }

    /// A matrix over caller-owned quantized bytes or floats (tests and tiny models); `.int8`
    /// packs quantized bytes (the matrix then no longer needs them for products).
    init(name: String, rows: Int, cols: Int, storage: Storage, precision: ProductPrecision = .exact) {
        self.name = name
        self.rows = rows
        self.cols = cols
        self.storage = storage
        if case .quantized(let type, let base) = storage, precision == .int8 {
            packed = PackedWeights(type: type, source: base, rows: rows, cols: cols)
        } else {
            packed = nil
        }
    }

    /// Row `r` as Floats (the token-embedding lookup).
    func row(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        switch storage {
        case .quantized(let type, let base):
            dequantize(type, base + r * type.byteCount(elements: cols), count: cols, into: out)
        case .dense(let w):
            w.withUnsafeBufferPointer { out.update(from: $0.baseAddress! + r * cols, count: cols) }
        }
    }

    /// Y (n, rows) = X (n, cols) @ W^T, with `ldy` floats between rows of Y.
    /// - Parameter scratch: the dequantized block for n >= gemmThreshold, or the quantized rows.
    func apply(_ x: UnsafePointer<Float>, n: Int, into y: UnsafeMutablePointer<Float>, ldy: Int,
               scratch: ProductScratch) {
        if let packed { return Self.applyPacked([(packed, y, ldy)], x, n: n, cols: cols, scratch: scratch) }
        let (rows, cols) = (self.rows, self.cols)
        switch storage {
        case .dense(let w):
            w.withUnsafeBufferPointer {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(rows), Int32(cols),
                            1, x, Int32(cols), $0.baseAddress, Int32(cols), 0, y, Int32(ldy))
            }
        case .quantized(let type, let base):
            let code = Int32(type.rawValue)
            if n < Self.gemmThreshold {
                // SIMD kernel, rows split over both cores
                Self.parallel(rows, split: rows * cols * n >= Self.parallelWork) { r0, r1 in
                    _ = ck_matmul(code, base, Int32(cols), Int32(r0), Int32(r1), x, Int32(cols), Int32(n), y, Int32(ldy))
                }
                return
            }
            // dequantize a block of rows into scratch, then sgemm
            let scratch = scratch.dequantized
            var r0 = 0
            while r0 < rows {
                let r1 = min(rows, r0 + Self.gemmBlockRows)
                Self.parallel(r1 - r0) { a, b in
                    _ = ck_dequantize_rows(code, base, Int32(cols), Int32(r0 + a), Int32(r0 + b), scratch + a * cols)
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(r1 - r0), Int32(cols),
                            1, x, Int32(cols), scratch, Int32(cols), 0, y + r0, Int32(ldy))
                r0 = r1
            }
        }
    }

    /// Several products of the same input, `Y_i = X @ W_i^T` (q, k, v; or gate and up), in one
    /// parallel region on the mat-vec path so the two cores synchronise once instead of per matrix;
    /// with int8 products the input is quantized once for all of them.
    static func apply(_ jobs: [(matrix: WeightMatrix, y: UnsafeMutablePointer<Float>)], _ x: UnsafePointer<Float>, n: Int,
                      scratch: ProductScratch) {
        let packed = jobs.compactMap { job in job.matrix.packed.map { (packed: $0, y: job.y, ldy: job.matrix.rows) } }
        if packed.count == jobs.count, let cols = jobs.first?.matrix.cols, jobs.allSatisfy({ $0.matrix.cols == cols }) {
            return applyPacked(packed, x, n: n, cols: cols, scratch: scratch)
        }
        let quantized = jobs.allSatisfy { if case .quantized = $0.matrix.storage { true } else { false } }
        guard n < gemmThreshold, quantized else {
            for job in jobs { job.matrix.apply(x, n: n, into: job.y, ldy: job.matrix.rows, scratch: scratch) }
            return
        }
        let work = jobs.reduce(0) { $0 + $1.matrix.rows * $1.matrix.cols } * n
        onBothCores(split: work >= parallelWork) { half in
            for job in jobs {
                guard case .quantized(let type, let base) = job.matrix.storage else { continue }
                let rows = job.matrix.rows
                let split = (rows / 2 + 7) / 8 * 8
                let (r0, r1) = half == 0 ? (0, split) : (split, rows)
                _ = ck_matmul(Int32(type.rawValue), base, Int32(job.matrix.cols), Int32(r0), Int32(r1), x,
                              Int32(job.matrix.cols), Int32(n), job.y, Int32(rows))
            }
        }
    }

    /// The plain Swift path: Y = X @ W^T via the reference dequantizer (tests compare against it).
    func referenceApply(_ x: [Float], n: Int) -> [Float] {
        var y = [Float](repeating: 0, count: n * rows)
        var w = [Float](repeating: 0, count: cols)
        for r in 0..<rows {
            w.withUnsafeMutableBufferPointer { row(r, into: $0.baseAddress!) }
            for j in 0..<n {
                var s: Float = 0
                for k in 0..<cols { s += w[k] * x[j * cols + k] }
                y[j * rows + r] = s
            }
        }
        return y
    }

    /// Runs `body(start, end)` over two halves of `0..<count` on both cores (one call when small
    /// or when `split` is false); the first half is a multiple of 8 rows.
    static func parallel(_ count: Int, split: Bool = true, _ body: (Int, Int) -> Void) {
        if count < 64 || !split {
            body(0, count)
            return
        }
        let half = (count / 2 + 7) / 8 * 8
        onBothCores { i in if i == 0 { body(0, half) } else { body(half, count) } }
    }

    /// Runs `body(0)` and `body(1)` concurrently (the machine has two cores), or one after the
    /// other on this thread when `split` is false.
    static func onBothCores(split: Bool = true, _ body: (Int) -> Void) {
        guard split else {
            body(0)
            body(1)
            return
        }
        inChunks(2, body)
    }
}
