import Numerics

/// Which optimizer a training run uses.
public enum OptimizerKind: String, Codable, Sendable {
    /// SGD with momentum.
    case sgd
    /// Adam (L2 weight decay).
    case adam
    /// AdamW (decoupled weight decay).
    case adamW
}

/// Settings of one training run (joint or fit); stored in the safetensors metadata.
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// Passes over the data.
    public var epochs: Int
    /// Examples per optimizer step.
    public var batchSize: Int
    /// The optimizer.
    public var optimizer: OptimizerKind
    /// Base learning rate.
    public var learningRate: Float
    /// Weight decay (L2 for SGD/Adam, decoupled for AdamW).
    public var weightDecay: Float
    /// SGD momentum.
    public var momentum: Float
    /// Clip the global gradient norm to this value (nil = no clipping).
    public var maxGradNorm: Float?
    /// Warm-up steps and decay of the learning rate.
    public var warmupSteps: Int
    /// Decay the rate linearly to 0 at the last step.
    public var linearDecay: Bool
    /// Shuffle examples each epoch (seeded).
    public var shuffle: Bool
    /// Seed for shuffling, dropout and fresh heads.
    public var seed: UInt64
    /// Joint mode: weight of the global head's loss added to the personal heads' loss.
    public var globalHeadWeight: Float

    /// Settings; defaults are Adam at 1e-3, batch 64, shuffled, no clipping or schedule.
    public init(
        epochs: Int = 20, batchSize: Int = 64, optimizer: OptimizerKind = .adam, learningRate: Float = 1e-3,
        weightDecay: Float = 0, momentum: Float = 0.9, maxGradNorm: Float? = nil, warmupSteps: Int = 0,
        linearDecay: Bool = false, shuffle: Bool = true, seed: UInt64 = 0, globalHeadWeight: Float = 1
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.maxGradNorm = maxGradNorm
        self.warmupSteps = warmupSteps
        self.linearDecay = linearDecay
        self.shuffle = shuffle
        self.seed = seed
        self.globalHeadWeight = globalHeadWeight
    }

    func validate() throws {
        guard epochs >= 0 else { throw TrainingError.invalidSetting(name: "epochs", value: "\(epochs)") }
        guard batchSize > 0 else { throw TrainingError.invalidSetting(name: "batchSize", value: "\(batchSize)") }
        guard learningRate.isFinite, learningRate >= 0 else {
            throw TrainingError.invalidSetting(name: "learningRate", value: "\(learningRate)")
        }
    }

    /// A fresh optimizer for these settings; Adam/AdamW split large updates over `threads`.
    func makeOptimizer(threads: Int = 1) -> any Optimizer {
        switch optimizer {
        case .sgd: return SGD(learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .adam, .adamW:
            var adam: Adam
            if optimizer == .adam {
                adam = Adam(learningRate: learningRate, weightDecay: weightDecay)
            } else {
                adam = Adam.adamW(learningRate: learningRate, weightDecay: weightDecay)
            }
            adam.threads = threads
            return adam
        }
    }

    /// The schedule over `totalSteps` steps.
    func schedule(totalSteps: Int) -> LearningRateSchedule {
        LearningRateSchedule(warmupSteps: warmupSteps, totalSteps: totalSteps, linearDecay: linearDecay)
    }

    /// Mini-batches of whole groups for one epoch: the groups (in order of first row, shuffled
    /// with `rng` when set) are packed until a batch holds at least `batchSize` rows, so a
    /// listwise loss always sees every candidate of a prompt together.
    func groupBatches(groups: [Int], rng: inout SplitMix64) -> [[Int]] {
        var rowsByGroup: [Int: [Int]] = [:]
        var order: [Int] = []
        for (row, g) in groups.enumerated() {
            if rowsByGroup[g] == nil { order.append(g) }
            rowsByGroup[g, default: []].append(row)
        }
        if shuffle { rng.shuffle(&order) }
        var batches: [[Int]] = []
        var current: [Int] = []
        for g in order {
            current += rowsByGroup[g] ?? []
            if current.count >= batchSize {
                batches.append(current)
                current = []
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }

    /// The batches of one epoch: whole groups when `groups` is set, else rows.
    func batches(count: Int, groups: [Int]?, rng: inout SplitMix64) -> [[Int]] {
        guard let groups else { return batches(count: count, rng: &rng) }
        return groupBatches(groups: groups, rng: &rng)
    }

    /// The loss of a batch: listwise over its groups when `groups` is set, else cross-entropy.
    func loss(logits: Matrix, labels: [Int], groups: [Int]?) throws -> (loss: Float, grad: Matrix) {
        guard let groups else { return try softmaxCrossEntropy(logits: logits, labels: labels) }
        return try listwiseSoftmaxLoss(logits: logits, groups: groups, labels: labels)
    }

    /// Mini-batches of row indices for one epoch of `count` examples (shuffled with `rng` when set).
    func batches(count: Int, rng: inout SplitMix64) -> [[Int]] {
        var order = Array(0..<count)
        if shuffle { rng.shuffle(&order) }
        return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
    }
}
