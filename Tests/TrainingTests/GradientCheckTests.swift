import Numerics
import Training
import XCTest

final class GradientCheckTests: XCTestCase {
    private typealias GC = GradientCheck

    private func matrix(_ rows: Int, _ cols: Int, _ v: [Float]) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        m.data = v
        return m
    }

    // MARK: - Layers

    func testLinear_Backward_MatchesFiniteDifferences() throws {
        var rng = SplitMix64(seed: 11)
        var layer = Linear(inFeatures: 6, outFeatures: 4, rng: &rng)
        let x = GC.randomMatrix(5, 6, seed: 1)
        let c = GC.randomMatrix(5, 4, seed: 2)
        let dx = try XCTUnwrap(layer.backward(input: x, gradOutput: c))
        let base = layer
        GC.check("dx", values: x.data, analytic: dx.data) { v in
            GC.weightedSum(base.forward(self.matrix(5, 6, v)), c)
        }
        for (i, p) in parameterSnapshot(&layer).enumerated() {
            GC.check("param \(i)", values: p.value, analytic: p.grad) { v in
                var l = base
                setParameter(&l, i, v)
                return GC.weightedSum(l.forward(x), c)
            }
        }
    }

    func testActivations_Backward_MatchFiniteDifferences() {
        let x = GC.randomMatrix(4, 8, seed: 3)
        let c = GC.randomMatrix(4, 8, seed: 4)
        for activation in Activation.allCases {
            let y = activation.forward(x)
            let dx = activation.backward(input: x, output: y, gradOutput: c)
            GC.check("\(activation)", values: x.data, analytic: dx.data, samples: 32) { v in
                GC.weightedSum(activation.forward(self.matrix(4, 8, v)), c)
            }
        }
    }

    func testDropout_Backward_MatchesFiniteDifferencesWithFixedMask() {
        let dropout = Dropout(p: 0.3)
        let x = GC.randomMatrix(4, 8, seed: 5)
        let c = GC.randomMatrix(4, 8, seed: 6)
        var rng = SplitMix64(seed: 7)
        let (_, mask) = dropout.forward(x, training: true, rng: &rng)
        XCTAssertNotNil(mask)
        let dx = dropout.backward(c, mask: mask)
        GC.check("dropout", values: x.data, analytic: dx.data, samples: 32) { v in
            var r = SplitMix64(seed: 7)
            return GC.weightedSum(dropout.forward(self.matrix(4, 8, v), training: true, rng: &r).output, c)
        }
    }

    func testDropout_Inference_IsIdentityAndTrainingDropsAboutP() {
        let dropout = Dropout(p: 0.25)
        let x = Matrix(rows: 100, cols: 100, repeating: 1)
        var rng = SplitMix64(seed: 1)
        XCTAssertEqual(dropout.forward(x, training: false, rng: &rng).output, x)
        let y = dropout.forward(x, training: true, rng: &rng).output
        let dropped = Double(y.data.filter { $0 == 0 }.count) / Double(y.count)
        XCTAssertEqual(dropped, 0.25, accuracy: 0.02)
        XCTAssertEqual(Double(y.data.first { $0 != 0 } ?? 0), 1 / 0.75, accuracy: 1e-6)
    }

    func testLayerNorm_Backward_MatchesFiniteDifferences() {
        var norm = LayerNorm(width: 6)
        norm.gamma.value = GC.randomMatrix(1, 6, seed: 8)
        norm.beta.value = GC.randomMatrix(1, 6, seed: 9)
        let x = GC.randomMatrix(3, 6, seed: 10)
        let c = GC.randomMatrix(3, 6, seed: 11)
        let (_, cache) = norm.forward(x)
        let dx = norm.backward(c, cache: cache)
        let base = norm
        GC.check("dx", values: x.data, analytic: dx.data) { v in
            GC.weightedSum(base.forward(self.matrix(3, 6, v)).output, c)
        }
        for (i, p) in parameterSnapshot(&norm).enumerated() {
            GC.check("param \(i)", values: p.value, analytic: p.grad) { v in
                var l = base
                setParameter(&l, i, v)
                return GC.weightedSum(l.forward(x).output, c)
            }
        }
    }

    // MARK: - Losses

    func testSoftmaxCrossEntropy_Gradient_MatchesFiniteDifferences() throws {
        let z = GC.randomMatrix(5, 3, seed: 12)
        let labels = [0, 2, 1, 1, 0]
        let (_, grad) = try softmaxCrossEntropy(logits: z, labels: labels)
        GC.check("ce", values: z.data, analytic: grad.data, samples: 15) { v in
            Double((try? softmaxCrossEntropy(logits: self.matrix(5, 3, v), labels: labels).loss) ?? .nan)
        }
    }

    func testSoftmaxCrossEntropy_BadLabel_Throws() {
        XCTAssertThrowsError(try softmaxCrossEntropy(logits: Matrix(rows: 1, cols: 2), labels: [2])) { error in
            XCTAssertEqual(error as? LossError, .labelOutOfRange(index: 0, label: 2, classes: 2))
        }
    }

    func testBinaryCrossEntropyWithLogits_Gradient_MatchesFiniteDifferences() throws {
        let z: [Float] = [-3, -0.5, 0.2, 1.5, 4]
        let t: [Float] = [0, 1, 0, 1, 0.3]
        let (loss, grad) = try binaryCrossEntropyWithLogits(logits: z, targets: t)
        // at z = 0 the loss is log 2 whatever the target
        XCTAssertEqual(try binaryCrossEntropyWithLogits(logits: [0], targets: [1]).loss, Float(0.693147182), accuracy: 1e-6)
        XCTAssertTrue(loss.isFinite)
        GC.check("bce", values: z, analytic: grad) { v in
            Double((try? binaryCrossEntropyWithLogits(logits: v, targets: t).loss) ?? .nan)
        }
    }

    // MARK: - Models

    func testHydraHead_Backward_MatchesFiniteDifferences() throws {
        var rng = SplitMix64(seed: 13)
        var head = HydraHead(hidden: 6, dropout: 0.2, rng: &rng)
        let x = GC.randomMatrix(4, 6, seed: 14)
        let c = GC.randomMatrix(4, 2, seed: 15)
        var r = SplitMix64(seed: 16)
        let (_, cache) = head.forward(x, training: true, rng: &r)
        let dx = try XCTUnwrap(head.backward(c, cache: cache, needInputGrad: true))
        let base = head
        func objective(_ h: HydraHead, _ input: Matrix) -> Double {
            var r = SplitMix64(seed: 16)
            return GC.weightedSum(h.forward(input, training: true, rng: &r).logits, c)
        }
        GC.check("dx", values: x.data, analytic: dx.data) { v in objective(base, self.matrix(4, 6, v)) }
        for (i, p) in parameterSnapshot(&head).enumerated() {
            GC.check("param \(i)", values: p.value, analytic: p.grad) { v in
                var h = base
                setParameter(&h, i, v)
                return objective(h, x)
            }
        }
    }

    func testBaseMLP_WithLayerNormAndDropout_MatchesFiniteDifferences() throws {
        for activation in Activation.allCases {
            let config = ModelConfig(inputSize: 5, baseWidths: [7, 6], baseActivation: activation, baseLayerNorm: true, baseDropout: 0.2)
            var rng = SplitMix64(seed: 17)
            var base = BaseMLP(config: config, rng: &rng)
            let x = GC.randomMatrix(4, 5, seed: 18)
            let c = GC.randomMatrix(4, 6, seed: 19)
            var r = SplitMix64(seed: 20)
            let (_, cache) = base.forward(x, training: true, rng: &r)
            let dx = try XCTUnwrap(base.backward(c, cache: cache, needInputGrad: true))
            let frozen = base
            func objective(_ b: BaseMLP, _ input: Matrix) -> Double {
                var r = SplitMix64(seed: 20)
                return GC.weightedSum(b.forward(input, training: true, rng: &r).output, c)
            }
            let h: Float = activation == .relu ? 1e-3 : GC.h
            GC.check("\(activation) dx", values: x.data, analytic: dx.data, h: h) { v in objective(frozen, self.matrix(4, 5, v)) }
            for (i, p) in parameterSnapshot(&base).enumerated() {
                GC.check("\(activation) param \(i)", values: p.value, analytic: p.grad, h: h) { v in
                    var b = frozen
                    setParameter(&b, i, v)
                    return objective(b, x)
                }
            }
        }
    }

    func testBaseMLP_ZeroLayers_IsIdentity() {
        var rng = SplitMix64(seed: 1)
        let base = BaseMLP(config: ModelConfig(inputSize: 4), rng: &rng)
        let x = GC.randomMatrix(3, 4, seed: 2)
        XCTAssertEqual(base.embed(x), x)
    }

    /// The whole factorized model: base → user head → mean cross-entropy, every parameter.
    func testFactorizedModel_BaseAndHead_MatchFiniteDifferences() throws {
        let config = ModelConfig(inputSize: 5, baseWidths: [6], baseActivation: .gelu, baseLayerNorm: true, baseDropout: 0.1, headDropout: 0.1)
        var model = FactorizedModel(config: config, seed: 21)
        model.setHead(model.makeHead(for: "u", initialization: .fresh, seed: 3), for: "u")
        let x = GC.randomMatrix(6, 5, seed: 22)
        let labels = [0, 1, 1, 0, 1, 0]

        func loss(_ base: BaseMLP, _ head: HydraHead, _ input: Matrix) -> (loss: Double, base: BaseMLP.Cache, head: HydraHead.Cache, grad: Matrix) {
            var r = SplitMix64(seed: 23)
            let (h, bc) = base.forward(input, training: true, rng: &r)
            let (z, hc) = head.forward(h, training: true, rng: &r)
            guard let (l, g) = try? softmaxCrossEntropy(logits: z, labels: labels) else {
                return (.nan, bc, hc, z)
            }
            return (Double(l), bc, hc, g)
        }
        var base = model.base
        var head = try XCTUnwrap(model.head(for: "u"))
        let start = loss(base, head, x)
        let dh = try XCTUnwrap(head.backward(start.grad, cache: start.head, needInputGrad: true))
        let dx = try XCTUnwrap(base.backward(dh, cache: start.base, needInputGrad: true))
        let (b0, h0) = (base, head)
        GC.check("model dx", values: x.data, analytic: dx.data) { v in loss(b0, h0, self.matrix(6, 5, v)).loss }
        for (i, p) in parameterSnapshot(&base).enumerated() {
            GC.check("base param \(i)", values: p.value, analytic: p.grad) { v in
                var b = b0
                setParameter(&b, i, v)
                return loss(b, h0, x).loss
            }
        }
        for (i, p) in parameterSnapshot(&head).enumerated() {
            GC.check("head param \(i)", values: p.value, analytic: p.grad) { v in
                var h = h0
                setParameter(&h, i, v)
                return loss(b0, h, x).loss
            }
        }
    }
}
