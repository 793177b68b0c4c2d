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

/// Listwise softmax loss over groups of rows (ListNet top-one / softmax cross-entropy over a
/// list): each row's score is its "useful" margin `s = z[1] - z[0]`; within a group the loss is
/// `logsumexp(s) - s[target]`, the target being the group's row labelled 1. The result is the
/// mean over the groups that have a target and at least two rows; other rows get no gradient.
///
/// dz[i][1] = (softmax(s)[i] - t[i]) / G and dz[i][0] = -dz[i][1], G the groups counted.
/// - Parameters:
///   - logits: (B, 2).
///   - groups: B group ids (rows of a group need not be adjacent).
///   - labels: B labels, one row labelled 1 per group (the first counts when there are more).
/// - Returns: the loss and dL/dlogits (B, 2).
public func listwiseSoftmaxLoss(logits: Matrix, groups: [Int], labels: [Int]) throws -> (loss: Float, grad: Matrix) {
    let b = logits.rows
    guard groups.count == b else { throw LossError.countMismatch(rows: b, labels: groups.count) }
    guard labels.count == b else { throw LossError.countMismatch(rows: b, labels: labels.count) }
    guard logits.cols == 2 else { throw LossError.labelOutOfRange(index: 0, label: 1, classes: logits.cols) }
    var rowsByGroup: [Int: [Int]] = [:]
    var order: [Int] = []
    for r in 0..<b {
        if rowsByGroup[groups[r]] == nil { order.append(groups[r]) }
        rowsByGroup[groups[r], default: []].append(r)
    }
    let counted = order.filter { g in
        let rows = rowsByGroup[g] ?? []
        return rows.count >= 2 && rows.contains { labels[$0] == 1 }
    }
    var grad = Matrix(rows: b, cols: 2)
    guard !counted.isEmpty else { return (0, grad) }
    let invG = 1 / Float(counted.count)
    var total: Float = 0
    for g in counted {
        let rows = rowsByGroup[g] ?? []
        let target = rows.first { labels[$0] == 1 } ?? rows[0]
        let scores = rows.map { logits.data[$0 * 2 + 1] - logits.data[$0 * 2] }
        let m = scores.max() ?? 0
        let logSumExp = m + log(scores.reduce(0) { $0 + exp($1 - m) })
        total += logSumExp - (logits.data[target * 2 + 1] - logits.data[target * 2])
        for (k, r) in rows.enumerated() {
            let d = (exp(scores[k] - logSumExp) - (r == target ? 1 : 0)) * invG
            grad.data[r * 2 + 1] = d
            grad.data[r * 2] = -d
        }
    }
    return (total * invG, grad)
}
