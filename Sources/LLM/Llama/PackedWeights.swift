import CKernels

/// A Q4_1 or Q8_0 weight matrix repacked for integer products (`ckernels_int8.h`): each group of
/// 8 rows interleaved in 4-byte chunks, so one 32-byte vector feeds 8 rows at once. The bytes are
/// those of the file's blocks, reordered, so the packed copy takes as much memory as the tensor.
final class PackedWeights: @unchecked Sendable {
    let type: GGMLType
    let rows: Int
    let cols: Int
    /// Groups of 8 rows (the last one padded with zero rows).
    let groups: Int
    let bytes: UnsafeMutableRawPointer

    /// Packs `rows` × `cols` GGML blocks at `source`; nil for a type without integer products.
    init?(type: GGMLType, source: UnsafeRawPointer, rows: Int, cols: Int) {
        guard type == .q4_1 || type == .q8_0 else { return nil }
        let count = ck_int8_packed_bytes(Int32(type.rawValue), Int32(rows), Int32(cols))
        guard count > 0 else { return nil }
        self.type = type
        self.rows = rows
        self.cols = cols
        groups = (rows + 7) / 8
        bytes = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        _ = ck_int8_pack(Int32(type.rawValue), source, Int32(rows), Int32(cols), bytes)
    }

    deinit { bytes.deallocate() }

    /// Y[j * ldy + r] for rows r of groups `groups` and the `n` quantized activation rows.
    func multiply(groups range: Range<Int>, _ x: QuantizedRows, n: Int, into y: UnsafeMutablePointer<Float>, ldy: Int) {
        _ = ck_int8_matmul(Int32(type.rawValue), bytes, Int32(rows), Int32(cols), Int32(range.lowerBound),
                           Int32(range.upperBound), x.quants, x.scales, x.sums, Int32(n), y, Int32(ldy))
    }
}

/// Activation rows quantized to int8 blocks of 32 (`ck_int8_quantize`): buffers for up to `rows`
/// rows of up to `cols` columns, owned by a `LlamaState`.
final class QuantizedRows {
    let rows: Int
    let cols: Int
    let quants: UnsafeMutablePointer<Int8>
    /// Per block: the scale, and the scale times the sum of the block's quants.
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Float>

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        quants = .allocate(capacity: max(rows * cols, 1))
        scales = .allocate(capacity: max(rows * cols / 32, 1))
        sums = .allocate(capacity: max(rows * cols / 32, 1))
    }

    deinit {
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
    }

    /// Quantizes `n` rows of `cols` floats (rows `cols` apart) into these buffers; a prompt chunk's
    /// rows are shared out between the cores.
    func quantize(_ x: UnsafePointer<Float>, n: Int, cols: Int) {
        precondition(n <= rows && cols <= self.cols && cols % 32 == 0, "activations exceed the quantization buffers")
        let pieces = n * cols >= Self.parallelElements ? 2 : 1
        WeightMatrix.inChunks(pieces) { piece in
            let (first, end) = (n * piece / pieces, n * (piece + 1) / pieces)
            ck_int8_quantize(x + first * cols, Int32(cols), Int32(end - first), Int32(cols), quants + first * cols,
                             scales + first * cols / 32, sums + first * cols / 32)
        }
    }

    /// From this many elements on, quantizing on both cores saves more than it costs to wake the
    /// second (about 10 µs of work).
    static let parallelElements = 32_768
}
