import XCTest
import Numerics

final class MatrixTests: XCTestCase {
    private func random(_ rows: Int, _ cols: Int, _ rng: inout SplitMix64) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        for i in 0..<m.count { m.data[i] = Float(rng.symmetric(1)) }
        return m
    }

    /// op(A) @ op(B) computed with three plain loops in Double.
    private func naive(_ a: Matrix, _ ta: Transpose, _ b: Matrix, _ tb: Transpose) -> [Double] {
        let m = ta == .none ? a.rows : a.cols
        let k = ta == .none ? a.cols : a.rows
        let n = tb == .none ? b.cols : b.rows
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta == .none ? a[i, p] : a[p, i]
                    let bv = tb == .none ? b[p, j] : b[j, p]
                    s += Double(av) * Double(bv)
                }
                out[i * n + j] = s
            }
        }
        return out
    }

    func testGemm_AllTransposeCombinations_MatchNaiveProduct() {
        var rng = SplitMix64(seed: 1)
        for (ta, tb) in [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)] {
            let a = ta == .none ? random(5, 7, &rng) : random(7, 5, &rng)
            let b = tb == .none ? random(7, 3, &rng) : random(3, 7, &rng)
            let c = matmul(a, ta, b, tb)
            XCTAssertEqual(c.rows, 5)
            XCTAssertEqual(c.cols, 3)
            for (x, y) in zip(c.data, naive(a, ta, b, tb)) { XCTAssertEqual(Double(x), y, accuracy: 1e-5) }
        }
    }

    func testGemm_BetaOne_AccumulatesIntoOutput() {
        var rng = SplitMix64(seed: 2)
        let a = random(4, 6, &rng)
        let b = random(6, 2, &rng)
        var c = Matrix(rows: 4, cols: 2, repeating: 1)
        gemm(a, .none, b, .none, into: &c, alpha: 2, beta: 1)
        for (x, y) in zip(c.data, naive(a, .none, b, .none)) { XCTAssertEqual(Double(x), 2 * y + 1, accuracy: 1e-5) }
    }

    func testGemv_BothOrientations_MatchNaiveProduct() {
        var rng = SplitMix64(seed: 3)
        let a = random(4, 6, &rng)
        let x6 = (0..<6).map { _ in Float(rng.symmetric(1)) }
        let x4 = (0..<4).map { _ in Float(rng.symmetric(1)) }
        var y4 = [Float](repeating: 0, count: 4)
        gemv(a, .none, x6, into: &y4)
        var y6 = [Float](repeating: 0, count: 6)
        gemv(a, .transposed, x4, into: &y6)
        for i in 0..<4 {
            let s = (0..<6).reduce(0.0) { $0 + Double(a[i, $1]) * Double(x6[$1]) }
            XCTAssertEqual(Double(y4[i]), s, accuracy: 1e-5)
        }
        for j in 0..<6 {
            let s = (0..<4).reduce(0.0) { $0 + Double(a[$1, j]) * Double(x4[$1]) }
            XCTAssertEqual(Double(y6[j]), s, accuracy: 1e-5)
        }
    }

    func testMatrixInit_WrongValueCount_ThrowsShapeMismatch() {
        XCTAssertThrowsError(try Matrix(rows: 2, cols: 3, data: [1, 2, 3])) { error in
            XCTAssertEqual(error as? NumericsError, .shapeMismatch(rows: 2, cols: 3, count: 3))
        }
        XCTAssertThrowsError(try Matrix([[1, 2], [3]]))
    }

    func testGatherThenScatter_RoundTripsRowsAndAddsDuplicates() throws {
        let m = try Matrix([[1, 2], [3, 4], [5, 6]])
        let g = m.gatherRows([2, 0, 2])
        XCTAssertEqual(g.data, [5, 6, 1, 2, 5, 6])
        var acc = Matrix(rows: 3, cols: 2)
        acc.scatterAddRows(g, to: [2, 0, 2])
        XCTAssertEqual(acc.data, [1, 2, 0, 0, 10, 12])
    }

    func testRowVectorOps_AddBiasAndColumnSums() throws {
        var m = try Matrix([[1, 2], [3, 4]])
        addRowVector([10, 20], to: &m)
        XCTAssertEqual(m.data, [11, 22, 13, 24])
        var sums: [Float] = [1, 1]
        addColumnSums(of: m, to: &sums)
        XCTAssertEqual(sums, [25, 47])
    }
}

final class SplitMix64Tests: XCTestCase {
    func testNext_SeedZero_MatchesPublishedSequence() {
        // The published splitmix64 test vector for seed 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
    }

    func testUniform_IsInUnitIntervalWithMeanNearHalf() {
        var rng = SplitMix64(seed: 42)
        var sum = 0.0
        for _ in 0..<10_000 {
            let u = rng.uniform()
            XCTAssertTrue(u >= 0 && u < 1)
            sum += u
        }
        XCTAssertEqual(sum / 10_000, 0.5, accuracy: 0.02)
    }

    func testShuffle_SameSeed_SamePermutation() {
        var a = Array(0..<50)
        var b = Array(0..<50)
        var r1 = SplitMix64(seed: 9)
        var r2 = SplitMix64(seed: 9)
        r1.shuffle(&a)
        r2.shuffle(&b)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.sorted(), Array(0..<50))
        XCTAssertNotEqual(a, Array(0..<50))
    }

    func testDerivedSeed_DependsOnLabel() {
        XCTAssertEqual(SplitMix64.derivedSeed(1, "u1"), SplitMix64.derivedSeed(1, "u1"))
        XCTAssertNotEqual(SplitMix64.derivedSeed(1, "u1"), SplitMix64.derivedSeed(1, "u2"))
        XCTAssertNotEqual(SplitMix64.derivedSeed(1, "u1"), SplitMix64.derivedSeed(2, "u1"))
    }
}
