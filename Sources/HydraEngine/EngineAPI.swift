import Foundation
import Numerics
import SessionStore
import Training

/// A user as the workbench lists them.
public struct UserSummary: Sendable, Equatable, Codable {
    public var id: String
    public var role: EngineUser.Role
    public var profileSize: Int
    public var questions: Int
    /// Whether the user has a trained head (reranker and adapter).
    public var hasHead: Bool
    /// Primary-metric delta personalized − base on the user's questions (nil before a run).
    public var delta: Double?
}

/// A head against the others (the workbench's head inspector).
public struct HeadSummary: Sendable, Equatable, Codable {
    public var userID: String
    /// L2 norms of the head's dense and output weights.
    public var denseNorm: Double
    public var outputNorm: Double
    /// L2 distance of all the head's parameters to the mean of every user head.
    public var distanceToMean: Double
    /// L2 distance to the global (base-only) head.
    public var distanceToGlobal: Double
}

/// A started run: its events, its result, and cancellation.
public struct RunHandle: Sendable {
    /// Every event of the run, ending when the run ends.
    public let events: AsyncStream<EngineEvent>
    /// The run; `await result.value` for the results.
    public let result: Task<HydraResults, Error>

    /// Stops the run at its next LLM call or training step (it then throws `CancellationError`
    /// or `TrainingError.cancelled`); finished work stays in the store for a re-run.
    public func cancel() { result.cancel() }
}

extension HydraPipeline {
    /// Starts `run` in a task and streams its events (for the TUI: observe, then cancel or await).
    public func start() -> RunHandle {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self)
        let task = Task {
            defer { continuation.finish() }
            return try await run { continuation.yield($0) }
        }
        return RunHandle(events: stream, result: task)
    }

    /// Every user of the run with their stats, heads and (given results) deltas.
    public func userSummaries(models: TrainedModels? = nil, results: HydraResults? = nil) throws -> [UserSummary] {
        let (train, eval) = try users()
        return (train + eval).map { user in
            UserSummary(
                id: user.id, role: user.role, profileSize: user.profile.count, questions: user.questions.count,
                hasHead: models?.reranker?.headIndex(of: user.id) != nil && models?.adapter?.headIndex(of: user.id) != nil,
                delta: results?.userDeltas[user.id])
        }
    }

    /// Loads the trained models saved in the store by the last run (fitted when available).
    public func savedModels() throws -> TrainedModels {
        guard let store else { return TrainedModels(reranker: nil, adapter: nil) }
        return try Self.savedModels(in: store)
    }

    /// The trained models a run saved in `store` (fitted when available), without a pipeline:
    /// what the workbench reads to show which users have heads. `run` picks the run (its
    /// weights); nil means the latest kept run (see `weightsName`).
    public static func savedModels(in store: SessionStore, run: StoredRun? = nil) throws -> TrainedModels {
        func load(_ name: String) throws -> FactorizedModel? {
            for slot in [name + "-fit", name + "-joint"] {
                guard let stored = try weightsName(slot: slot, in: store, run: run) else { continue }
                if let data = try store.loadWeights(name: stored) { return try Checkpoint.load(data: data).model }
            }
            return nil
        }
        return TrainedModels(reranker: try load("reranker"), adapter: try load("adapter"))
    }

    /// The store name of the weights a run used for `slot` (`reranker-fit`, …): those of `run`,
    /// else of the latest kept run, else of the last pipeline (one run without `RunSetup` keeps
    /// no run), else the bare slot name a store from before runs were kept used. Nil when the
    /// run had no such weights.
    public static func weightsName(slot: String, in store: SessionStore, run: StoredRun? = nil) throws -> String? {
        let inUse = try store.weightsInUse()
        guard let weights = try (run ?? store.latestRun())?.weights ?? (inUse.isEmpty ? nil : inUse) else { return slot }
        return weights[slot]
    }
}

/// Head statistics of a model.
public enum HeadInspector {
    /// One summary per user head of `model`.
    public static func summaries(_ model: FactorizedModel) -> [HeadSummary] {
        let flat = model.heads.map(flatten)
        guard let width = flat.first?.count else { return [] }
        var mean = [Float](repeating: 0, count: width)
        for f in flat { for i in 0..<width { mean[i] += f[i] / Float(flat.count) } }
        let global = flatten(model.globalHead)
        return zip(model.userIDs, zip(model.heads, flat)).map { id, pair in
            HeadSummary(
                userID: id, denseNorm: sumOfSquares(pair.0.dense.weight.value.data).squareRoot(),
                outputNorm: sumOfSquares(pair.0.outProj.weight.value.data).squareRoot(),
                distanceToMean: distance(pair.1, mean), distanceToGlobal: distance(pair.1, global))
        }
    }

    static func flatten(_ head: HydraHead) -> [Float] {
        head.dense.weight.value.data + head.dense.bias.value.data + head.outProj.weight.value.data + head.outProj.bias.value.data
    }

    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += Double(a[i] - b[i]) * Double(a[i] - b[i]) }
        return s.squareRoot()
    }
}
