import Foundation
import HydraEngine
import SessionStore
import WorkbenchAPI

/// What a session store already holds of earlier runs: the results of one run (the newest unless
/// `run` names another), its trained heads, and the loss curves.
struct SavedRunReader {
    let store: SessionStore
    /// The kept run to read (an id or unique prefix); nil reads the newest.
    var run: String?

    /// Opens the store in `directory` only when it exists: looking at a session never creates one.
    static func open(_ directory: URL, run: String? = nil) throws -> SavedRunReader? {
        guard SessionStore.exists(at: directory) else { return nil }
        return SavedRunReader(store: try SessionStore(directory: directory), run: run)
    }

    func report(contents: SessionContents) throws -> RunReport? {
        guard let results = try SavedResults.load(from: store, run: run) else { return nil }
        return try RunReportBuilder.report(results, golds: contents.evalGolds, task: contents.task)
    }

    func models() throws -> TrainedModels { try HydraPipeline.savedModels(in: store, run: try store.run(id: run)) }

    /// Every stored loss phase (`reranker/joint`, `adapter/fit/<user>`) as a series.
    func losses() throws -> [LossSeries] {
        try store.lossPhases().compactMap { phase in
            guard let id = Self.seriesID(phase) else { return nil }
            return LossSeries(id: id, losses: try store.losses(phase: phase))
        }.sorted { $0.id < $1.id }
    }

    /// `reranker/joint` → (reranker, shared); `adapter/fit/u7` → (adapter, u7).
    static func seriesID(_ phase: String) -> LossSeriesID? {
        let parts = phase.split(separator: "/", maxSplits: 2).map(String.init)
        switch parts.count {
        case 2 where parts[1] == "joint": return LossSeriesID(model: parts[0], userID: nil)
        case 3 where parts[1] == "fit": return LossSeriesID(model: parts[0], userID: parts[2])
        default: return nil
        }
    }
}
