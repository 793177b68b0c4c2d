import Foundation
import Numerics
import Training
import XCTest

/// A single scalar parameter, to follow optimizer formulas by hand.
private struct Scalar: ParameterContainer {
    var p: Parameter

    init(_ value: Float, grad: Float) {
        p = Parameter(Matrix(rows: 1, cols: 1, repeating: value))
        p.grad.data[0] = grad
    }

    var value: Float { p.value.data[0] }

    mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows { try body(&p) }
}

final class OptimizerTests: XCTestCase {
    func testAdam_TwoSteps_FollowBiasCorrectedFormula() {
        var model = Scalar(1, grad: 0.5)
        var adam = Adam(learningRate: 0.1)
        // step 1: m = 0.05, v = 0.00025; m̂ = 0.5, √v̂ = 0.5 → p = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
        adam.step(&model)
        XCTAssertEqual(Double(model.value), 1 - 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-6)
        // step 2 with g = -1
        model.p.grad.data[0] = -1
        let p1 = Double(model.value)
        adam.step(&model)
        let m = 0.9 * 0.05 + 0.1 * -1.0
        let v = 0.999 * 0.00025 + 0.001 * 1.0
        let expected = p1 - 0.1 / (1 - 0.81) * m / ((v).squareRoot() / (1 - 0.998001).squareRoot() + 1e-8)
        XCTAssertEqual(Double(model.value), expected, accuracy: 1e-5)
        XCTAssertEqual(adam.stepCount, 2)
    }

    func testAdamW_ZeroGradient_DecaysWeightsDecoupled() {
        var model = Scalar(2, grad: 0)
        var adamW = Adam.adamW(learningRate: 0.1, weightDecay: 0.5)
        adamW.step(&model)
        // p ← p (1 - lr·wd); the Adam part is 0 for a zero gradient
        XCTAssertEqual(model.value, 2 * (1 - 0.05), accuracy: 1e-6)
        // Adam with L2 moves the same weight by a full normalized step instead
        var l2 = Scalar(2, grad: 0)
        var adam = Adam(learningRate: 0.1, weightDecay: 0.5)
        adam.step(&l2)
        XCTAssertEqual(l2.value, 2 - 0.1, accuracy: 1e-5)
    }

    func testSGD_Momentum_MatchesPyTorchRecurrence() {
        var model = Scalar(1, grad: 1)
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        sgd.step(&model)  // buf = 1
        XCTAssertEqual(model.value, 0.9, accuracy: 1e-6)
        sgd.step(&model)  // buf = 0.9 + 1 = 1.9
        XCTAssertEqual(model.value, 0.9 - 0.19, accuracy: 1e-6)
        var nesterov = Scalar(1, grad: 1)
        var sgdN = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        sgdN.step(&nesterov)  // d = 1 + 0.9 * 1
        XCTAssertEqual(nesterov.value, 1 - 0.19, accuracy: 1e-6)
    }

    func testClipGradientNorm_ScalesOnlyAboveMax() {
        var model = Scalar(0, grad: 3)
        XCTAssertEqual(clipGradientNorm(&model, maxNorm: 10), 3, accuracy: 1e-6)
        XCTAssertEqual(model.p.grad.data[0], 3)
        XCTAssertEqual(clipGradientNorm(&model, maxNorm: 1), 3, accuracy: 1e-6)
        XCTAssertEqual(model.p.grad.data[0], 1, accuracy: 1e-5)
    }

    func testSchedule_WarmUpThenLinearDecay() {
        let s = LearningRateSchedule(warmupSteps: 4, totalSteps: 12, linearDecay: true)
        XCTAssertEqual(s.multiplier(step: 0), 0.25)
        XCTAssertEqual(s.multiplier(step: 3), 1)
        XCTAssertEqual(s.multiplier(step: 4), 1)
        XCTAssertEqual(s.multiplier(step: 8), 0.5)
        XCTAssertEqual(s.multiplier(step: 12), 0)
        XCTAssertEqual(LearningRateSchedule().multiplier(step: 100), 1)
    }

    func testAdam_SplitOverThreads_BitIdenticalToOneThread() {
        var rng = SplitMix64(seed: 3)
        var a = Linear(inFeatures: 300, outFeatures: 301, rng: &rng)
        a.visitParameters { p in for i in 0..<p.grad.count { p.grad.data[i] = Float(rng.normal()) } }
        var b = a
        var one = Adam.adamW(learningRate: 0.01)
        var two = Adam.adamW(learningRate: 0.01)
        two.threads = 2
        for _ in 0..<3 {
            one.step(&a)
            two.step(&b)
        }
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.weight.value.data[0], b.weight.grad.data[0])
    }
}
