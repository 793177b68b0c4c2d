import Foundation
import Numerics

/// Fit mode: heads trained on frozen base features, one user or many in parallel.
public enum HeadTraining {
    /// Trains one head on fixed features; the fit loop of a single user.
    ///
    /// Each epoch splits the rows into batches (shuffled when `settings.shuffle`); each step runs
    /// forward and mean cross-entropy, backward (writing fresh gradients, no input gradient),
    /// optional clipping, the schedule, and one optimizer step. `rng` = `SplitMix64(seed)` drives
    /// shuffling and dropout, so the result depends only on the inputs.
    /// - Parameters:
    ///   - head: the head to train, updated in place.
    ///   - features: base outputs, (n, hidden).
    ///   - labels: n labels in {0, 1}.
    ///   - settings: epochs, batch size, optimizer, schedule.
    ///   - seed: the seed of this head's shuffles and dropout masks.
    ///   - phase: the phase named in progress events.
    ///   - token: stops the loop at the next step when cancelled.
    ///   - progress: called after every step.
    ///   - threads: threads sharing each optimizer update (results do not depend on it).
    /// - Returns: the loss of each step's batch, computed before that step's update.
    /// - Throws: `TrainingError.cancelled`, or a setting or label error.
    public static func train(
        _ head: inout HydraHead, features: Matrix, labels: [Int], groups: [Int]? = nil, settings: TrainingSettings, seed: UInt64,
        phase: TrainingPhase = .fit(userID: ""), token: CancellationToken? = nil, progress: ProgressHandler? = nil,
        threads: Int = 1
    ) throws -> [Float] {
        try settings.validate()
        guard features.rows == labels.count else {
            throw TrainingError.labelCount(userID: phase.userID, rows: features.rows, labels: labels.count)
        }
        var rng = SplitMix64(seed: seed)
        var optimizer = settings.makeOptimizer(threads: threads)
        var counter = rng
        let stepsPerEpoch = groups.map { settings.groupBatches(groups: $0, rng: &counter).count }
            ?? (labels.count + settings.batchSize - 1) / settings.batchSize
        let totalSteps = settings.epochs * stepsPerEpoch
        let schedule = settings.schedule(totalSteps: totalSteps)
        var meter = ProgressMeter(phase: phase, totalSteps: totalSteps)
        var losses: [Float] = []
        losses.reserveCapacity(totalSteps)
        for epoch in 0..<settings.epochs {
            for batch in settings.batches(count: labels.count, groups: groups, rng: &rng) {
                if token?.isCancelled == true || Task.isCancelled { throw TrainingError.cancelled }
                let x = features.gatherRows(batch)
                let y = batch.map { labels[$0] }
                let (logits, cache) = head.forward(x, training: true, rng: &rng)
                let (loss, dLogits) = try settings.loss(logits: logits, labels: y, groups: groups.map { g in batch.map { g[$0] } })
                // one backward pass per step: overwrite the gradients instead of zeroing them first
                _ = head.backward(dLogits, cache: cache, needInputGrad: false, accumulate: false)
                if let maxNorm = settings.maxGradNorm { clipGradientNorm(&head, maxNorm: maxNorm) }
                optimizer.learningRate = settings.learningRate * schedule.multiplier(step: losses.count)
                optimizer.step(&head)
                losses.append(loss)
                if let progress { progress(meter.record(loss: loss, epoch: epoch + 1, batchSize: batch.count)) }
            }
        }
        return losses
    }

    /// Fits a head for each user with the base frozen, spreading users over `workers` threads.
    ///
    /// Each user's features go through the base once (inference mode), then the head trains on
    /// that user's examples only, with a seed derived from `settings.seed` and the user id. Users
    /// are independent and every product runs on one BLAS thread while workers > 1, so the heads
    /// are bit-identical whatever the scheduling or the number of workers.
    /// - Parameters:
    ///   - model: the model; gains (or replaces) one head per user.
    ///   - users: the users to fit (ids must be distinct).
    ///   - initialization: fresh heads or copies of the global head.
    ///   - workers: threads to use (the machine has 2 cores). With a single user, the fit itself
    ///     uses them: BLAS keeps its threads and the optimizer splits its update.
    /// - Returns: each user's step losses, in `users` order.
    @discardableResult
    public static func fitHeads(
        model: inout FactorizedModel, users: [UserExamples], settings: TrainingSettings,
        initialization: HeadInitialization, workers: Int = 2, token: CancellationToken? = nil,
        progress: ProgressHandler? = nil
    ) throws -> [[Float]] {
        try settings.validate()
        var seen = Set<String>()
        for user in users {
            try model.checkWidth(user)
            guard seen.insert(user.userID).inserted else { throw TrainingError.duplicateUser(user.userID) }
        }
        let frozen = model
        let results = ResultSlots(count: users.count)
        let token = token ?? CancellationToken()
        if Task.isCancelled { throw TrainingError.cancelled }
        let workerCount = max(1, min(workers, users.count))
        let fitAll = {
            DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
                while let i = results.claim() {
                    let user = users[i]
                    do {
                        var head = frozen.makeHead(for: user.userID, initialization: initialization, seed: settings.seed)
                        let hidden = frozen.base.embed(user.features)
                        let losses = try train(
                            &head, features: hidden, labels: user.labels, groups: user.groups, settings: settings,
                            seed: SplitMix64.derivedSeed(settings.seed, "fit:" + user.userID),
                            phase: .fit(userID: user.userID), token: token, progress: progress,
                            threads: workerCount == 1 ? max(1, workers) : 1)
                        results.store(i, .success((head, losses)))
                    } catch {
                        token.cancel()
                        results.store(i, .failure(error))
                    }
                }
            }
        }
        // several heads at once already fill the cores, so each product runs on one thread
        if workerCount > 1 { BLASThreads.singleThreaded(fitAll) } else { fitAll() }
        var allLosses: [[Float]] = []
        for (i, user) in users.enumerated() {
            switch results.result(i) {
            case .success(let (head, losses))?:
                model.setHead(head, for: user.userID)
                allLosses.append(losses)
            case .failure(let error)?:
                throw error
            case nil:
                throw TrainingError.cancelled
            }
        }
        return allLosses
    }
}

/// Work queue and result slots shared by the fit workers.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result<(HydraHead, [Float]), Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next unclaimed user index, or nil when all are taken or one failed.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let failed = slots.contains { if case .failure = $0 { return true } else { return false } }
        guard next < slots.count, !failed else { return nil }
        next += 1
        return next - 1
    }

    func store(_ i: Int, _ result: Result<(HydraHead, [Float]), Error>) {
        lock.lock()
        slots[i] = result
        lock.unlock()
    }

    func result(_ i: Int) -> Result<(HydraHead, [Float]), Error>? {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]
    }
}
