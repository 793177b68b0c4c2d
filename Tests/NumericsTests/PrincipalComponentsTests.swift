import Numerics
import XCTest

final class PrincipalComponentsTests: XCTestCase {
    func testPointsOnALine_OneComponentExplainsEverythingAlongIt() {
        // points on the line through (1, 2, 3) with direction (2, -1, 2) / 3
        let rows: [[Float]] = (0..<20).map { i in
            let t = Float(i) - 10
            return [1 + 2 * t / 3, 2 - t / 3, 3 + 2 * t / 3]
        }
        let pca = PrincipalComponents(rows: rows, count: 2)
        let first = pca.components[0]
        XCTAssertEqual(first[0], 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(first[1], -1.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(first[2], 2.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(pca.explainedVariance[0], 1, accuracy: 1e-9)
        XCTAssertEqual(pca.explainedVariance[1], 0, accuracy: 1e-9)
        // a point's coordinate along the line is its parameter t minus the mean t (−0.5)
        XCTAssertEqual(pca.project(rows[15])[0], 5.5, accuracy: 1e-4)
    }

    func testComponentsAreOrthogonalAndOrderedByVariance() {
        var rng = SplitMix64(seed: 4)
        // wide along x, narrower along y, thin along z, then rotated
        let rows: [[Float]] = (0..<400).map { _ in
            let (a, b, c) = (5 * rng.normal(), 2 * rng.normal(), 0.1 * rng.normal())
            return [Float(0.6 * a - 0.8 * b), Float(0.8 * a + 0.6 * b), Float(c)]
        }
        let pca = PrincipalComponents(rows: rows, count: 3)
        let (u, v) = (pca.components[0], pca.components[1])
        XCTAssertEqual(zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }, 0, accuracy: 1e-9)
        XCTAssertEqual(abs(u[0]), 0.6, accuracy: 0.05)
        XCTAssertEqual(abs(u[1]), 0.8, accuracy: 0.05)
        XCTAssertGreaterThan(pca.explainedVariance[0], pca.explainedVariance[1])
        XCTAssertGreaterThan(pca.explainedVariance[1], pca.explainedVariance[2])
        XCTAssertEqual(pca.explainedVariance.reduce(0, +), 1, accuracy: 1e-6)
    }

    func testEmptyAndConstantInputGiveZeroVarianceNotNaN() {
        let pca = PrincipalComponents(rows: Array(repeating: [1, 1], count: 5), count: 2)
        XCTAssertEqual(pca.explainedVariance, [0, 0])
        XCTAssertTrue(pca.project([3, 4]).allSatisfy(\.isFinite))
        XCTAssertTrue(PrincipalComponents(rows: [], count: 2).components.isEmpty)
    }
}
