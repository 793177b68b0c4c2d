import Foundation
import Numerics

/// The base and the global head, trained together in joint mode.
struct SharedParameters: ParameterContainer {
    var base: BaseMLP
    var globalHead: HydraHead

    mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        try base.visitParameters(body)
        try globalHead.visitParameters(body)
    }
}

/// Joint mode: the shared phase, where the base, the global head and the training users' heads
/// learn together from mini-batches that mix users.
public enum JointTraining {
    /// Trains base, global head and user heads on the pooled examples of `data`.
    ///
    /// Per step: the batch goes through the base once; each user's rows go through that user's
    /// head; the objective is the batch-mean cross-entropy of the personal heads plus
    /// `globalHeadWeight` × the mean cross-entropy of the global head on all rows (so the global
    /// head is a real "base only" model). Gradients flow back into the base from both. Each head
    /// has its own optimizer state and is stepped only when its user is in the batch (PyTorch with
    /// per-user modules and `zero_grad(set_to_none=True)`); clipping uses the global norm over
    /// everything that received a gradient. Users without a head get a fresh one.
    /// - Returns: the objective of each step, computed before that step's update.
    /// - Throws: `TrainingError` for bad data, settings, or cancellation.
    @discardableResult
    public static func train(
        model: inout FactorizedModel, data: [UserExamples], settings: TrainingSettings,
        token: CancellationToken? = nil, progress: ProgressHandler? = nil
    ) throws -> [Float] {
        try settings.validate()
        var seen = Set<String>()
        for user in data {
            try model.checkWidth(user)
            guard seen.insert(user.userID).inserted else { throw TrainingError.duplicateUser(user.userID) }
            if model.headIndex(of: user.userID) == nil {
                model.setHead(model.makeHead(for: user.userID, initialization: .fresh, seed: settings.seed), for: user.userID)
            }
        }
        // pool every example: features (N, input), labels (N), head index (N)
        let total = data.reduce(0) { $0 + $1.labels.count }
        var pooled = Matrix(rows: total, cols: model.config.inputSize)
        var labels: [Int] = []
        var owner: [Int] = []
        // group ids made unique across users; nil unless every user trains listwise
        let listwise = !data.isEmpty && data.allSatisfy { $0.groups != nil }
        var groups: [Int] = []
        for user in data {
            let offset = (groups.max() ?? -1) + 1
            groups += (user.groups ?? []).map { $0 + offset }
            let start = labels.count * model.config.inputSize
            pooled.data.replaceSubrange(start..<(start + user.features.count), with: user.features.data)
            labels += user.labels
            owner += Array(repeating: model.headIndex(of: user.userID) ?? 0, count: user.labels.count)
        }

        var shared = SharedParameters(base: model.base, globalHead: model.globalHead)
        var heads = model.heads
        var sharedOptimizer = settings.makeOptimizer()
        var headOptimizers = heads.map { _ in settings.makeOptimizer() }
        var rng = SplitMix64(seed: SplitMix64.derivedSeed(settings.seed, "joint"))
        let pooledGroups: [Int]? = listwise ? groups : nil
        var counter = rng
        let stepsPerEpoch = pooledGroups.map { settings.groupBatches(groups: $0, rng: &counter).count }
            ?? (total + settings.batchSize - 1) / settings.batchSize
        let schedule = settings.schedule(totalSteps: settings.epochs * stepsPerEpoch)
        var meter = ProgressMeter(phase: .joint, totalSteps: settings.epochs * stepsPerEpoch)
        var losses: [Float] = []
        defer {
            model.base = shared.base
            model.globalHead = shared.globalHead
            for i in heads.indices { model.withHead(i) { $0 = heads[i] } }
        }

        for epoch in 0..<settings.epochs {
            for batch in settings.batches(count: total, groups: pooledGroups, rng: &rng) {
                if token?.isCancelled == true || Task.isCancelled { throw TrainingError.cancelled }
                let b = Float(batch.count)
                let y = batch.map { labels[$0] }
                let g = pooledGroups.map { all in batch.map { all[$0] } }
                shared.zeroGradients()
                // base over the whole batch
                let (hidden, baseCache) = shared.base.forward(pooled.gatherRows(batch), training: true, rng: &rng)
                var dHidden = Matrix(rows: batch.count, cols: hidden.cols)
                // each user's head over that user's rows (users in ascending head order)
                var rowsByHead: [Int: [Int]] = [:]
                for (position, row) in batch.enumerated() { rowsByHead[owner[row], default: []].append(position) }
                let active = rowsByHead.keys.sorted()
                var objective: Float = 0
                for u in active {
                    let positions = rowsByHead[u] ?? []
                    let weight = Float(positions.count) / b
                    heads[u].zeroGradients()
                    let (logits, cache) = heads[u].forward(hidden.gatherRows(positions), training: true, rng: &rng)
                    var (loss, dLogits) = try settings.loss(
                        logits: logits, labels: positions.map { y[$0] }, groups: g.map { g in positions.map { g[$0] } })
                    scale(&dLogits.data, by: weight)
                    objective += weight * loss
                    if let dH = heads[u].backward(dLogits, cache: cache, needInputGrad: true) {
                        dHidden.scatterAddRows(dH, to: positions)
                    }
                }
                // the global head over every row
                if settings.globalHeadWeight > 0 {
                    let (logits, cache) = shared.globalHead.forward(hidden, training: true, rng: &rng)
                    var (loss, dLogits) = try settings.loss(logits: logits, labels: y, groups: g)
                    scale(&dLogits.data, by: settings.globalHeadWeight)
                    objective += settings.globalHeadWeight * loss
                    if let dH = shared.globalHead.backward(dLogits, cache: cache, needInputGrad: true) {
                        axpy(1, dH.data, &dHidden.data)
                    }
                }
                _ = shared.base.backward(dHidden, cache: baseCache, needInputGrad: false)
                // clip over everything that has a gradient, then step
                if let maxNorm = settings.maxGradNorm {
                    var squared = squaredGradientNorm(&shared)
                    for u in active { squared += squaredGradientNorm(&heads[u]) }
                    let coefficient = maxNorm / (Float(squared.squareRoot()) + 1e-6)
                    if coefficient < 1 {
                        scaleGradients(&shared, by: coefficient)
                        for u in active { scaleGradients(&heads[u], by: coefficient) }
                    }
                }
                let lr = settings.learningRate * schedule.multiplier(step: losses.count)
                sharedOptimizer.learningRate = lr
                sharedOptimizer.step(&shared)
                for u in active {
                    headOptimizers[u].learningRate = lr
                    headOptimizers[u].step(&heads[u])
                }
                losses.append(objective)
                if let progress { progress(meter.record(loss: objective, epoch: epoch + 1, batchSize: batch.count)) }
            }
        }
        return losses
    }
}
