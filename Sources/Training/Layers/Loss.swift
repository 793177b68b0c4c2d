import Foundation
import Numerics

/// Errors from loss functions given inconsistent targets.
public enum LossError: Error, Equatable, CustomStringConvertible {
    /// The label at `index` is outside `0..<classes`.
    case labelOutOfRange(index: Int, label: Int, classes: Int)
    /// There are `labels` targets for `rows` rows of logits.
    case countMismatch(rows: Int, labels: Int)

    public var description: String {
        switch self {
        case let .labelOutOfRange(index, label, classes):
            return "label \(label) at index \(index) is outside 0..<\(classes)"
        case let .countMismatch(rows, labels):
            return "\(rows) rows of logits but \(labels) targets"
        }
    }
}

/// Mean softmax cross-entropy (PyTorch `F.cross_entropy`, reduction `mean`).
///
/// loss = mean over rows of `logsumexp(z) - z[y]`; dz = (softmax(z) - onehot(y)) / B.
/// - Parameters:
///   - logits: (B, C).
///   - labels: B class indices in 0..<C.
/// - Returns: the loss and dL/dlogits (B, C).
public func softmaxCrossEntropy(logits: Matrix, labels: [Int]) throws -> (loss: Float, grad: Matrix) {
    let b = logits.rows
    let c = logits.cols
    guard labels.count == b else { throw LossError.countMismatch(rows: b, labels: labels.count) }
    var grad = Matrix(rows: b, cols: c)
    var total: Float = 0
    let invB = 1 / Float(max(b, 1))
    for r in 0..<b {
        let y = labels[r]
        guard y >= 0 && y < c else { throw LossError.labelOutOfRange(index: r, label: y, classes: c) }
        // find max value (for numerical stability)
        var m = -Float.infinity
        for j in 0..<c { m = max(m, logits.data[r * c + j]) }
        var sum: Float = 0
        for j in 0..<c { sum += exp(logits.data[r * c + j] - m) }
        let logSumExp = m + log(sum)
        total += logSumExp - logits.data[r * c + y]
        for j in 0..<c {
            let p = exp(logits.data[r * c + j] - logSumExp)
            grad.data[r * c + j] = (p - (j == y ? 1 : 0)) * invB
        }
    }
    return (total * invB, grad)
}

/// Mean binary cross-entropy on logits (PyTorch `F.binary_cross_entropy_with_logits`).
///
/// loss = mean of `max(z, 0) - z t + log(1 + exp(-|z|))`; dz = (σ(z) - t) / N.
/// - Parameters:
///   - logits: N logits.
///   - targets: N targets in [0, 1].
/// - Returns: the loss and dL/dz (N).
public func binaryCrossEntropyWithLogits(logits: [Float], targets: [Float]) throws -> (loss: Float, grad: [Float]) {
    guard logits.count == targets.count else {
        throw LossError.countMismatch(rows: logits.count, labels: targets.count)
    }
    let invN = 1 / Float(max(logits.count, 1))
    var total: Float = 0
    var grad = [Float](repeating: 0, count: logits.count)
    for i in 0..<logits.count {
        let z = logits[i]
        let t = targets[i]
        total += max(z, 0) - z * t + log1p(exp(-abs(z)))
        let sigmoid = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
        grad[i] = (sigmoid - t) * invN
    }
    return (total * invN, grad)
}
