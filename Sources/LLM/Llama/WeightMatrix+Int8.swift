import CKernels

/// Integer products of repacked matrices: the input rows are quantized once, then every matrix
/// of the call multiplies them, the groups of 8 weight rows shared out between the cores.
extension WeightMatrix {
    /// Below this many multiply-adds one core does the products.
    static let parallelIntegerWork = 400_000
    /// Pieces a parallel region is cut into. The threads take them in turn, so when the other core
    /// is busy with another process and the helper thread starts late, this one does more of the
    /// pieces instead of waiting for a fixed half.
    static let integerChunks = 16

    /// `Y_i = X @ W_i^T` for each packed matrix (all `cols` wide), `ldy_i` floats between rows of Y_i.
    static func applyPacked(_ jobs: [(packed: PackedWeights, y: UnsafeMutablePointer<Float>, ldy: Int)],
                            _ x: UnsafePointer<Float>, n: Int, cols: Int, scratch: ProductScratch) {
        let quantized = scratch.quantized
        quantized.quantize(x, n: n, cols: cols)
        let groups = jobs.reduce(0) { $0 + $1.packed.groups }
        let work = jobs.reduce(0) { $0 + $1.packed.rows } * cols * n
        let chunks = work >= parallelIntegerWork ? min(groups, integerChunks) : 1
        // chunk c covers its share of the groups of all matrices laid end to end
        inChunks(chunks) { c in
            let (start, end) = (groups * c / chunks, groups * (c + 1) / chunks)
            var first = 0
            for job in jobs {
                let (lower, upper) = (max(start, first), min(end, first + job.packed.groups))
                if lower < upper {
                    job.packed.multiply(groups: (lower - first)..<(upper - first), quantized, n: n, into: job.y, ldy: job.ldy)
                }
                first += job.packed.groups
            }
        }
    }

    /// Runs `body(0)` … `body(chunks - 1)` on both cores, each chunk on whichever thread is free
    /// (this one too; `ckernels_team.h` says how the second thread waits); with one chunk, on this
    /// thread alone.
    static func inChunks(_ chunks: Int, _ body: (Int) -> Void) {
        if chunks <= 1 { return body(0) }
        // the chunks write disjoint outputs, so sharing `body` with the helper thread is safe
        withoutActuallyEscaping(body) { body in
            var body = body
            withUnsafeMutablePointer(to: &body) { pointer in
                ck_team_run(Int32(chunks), { context, chunk in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(chunk))
                }, pointer)
            }
        }
    }
}
