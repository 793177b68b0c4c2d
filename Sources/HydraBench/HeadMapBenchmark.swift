import Foundation
import HydraEngine
import Numerics
import TUI
import Training
import WorkbenchAPI

/// The head inspector at scale: the map of 1,000 synthetic heads (the engine's projection, the
/// default model shape: MiniLM pair features into a 64-wide base) and one frame of the heads
/// screen drawing them.
public enum HeadMapBenchmark {
    public static let users = 1000

    /// A model of the default shape with `users` random heads.
    static func model(users: Int) -> FactorizedModel {
        var model = FactorizedModel(config: ModelConfig(inputSize: PairFeatures.width(dimension: 384), baseWidths: [64]), seed: 5)
        var rng = SplitMix64(seed: 6)
        for u in 0..<users { model.setHead(HydraHead(hidden: 64, dropout: 0.1, rng: &rng), for: "user\(u)") }
        return model
    }

    /// `map_1000_heads_ms` (median of 7) and `heads_frame_1000_ms` (median frame of the screen).
    public static func run() throws -> [String: Double] {
        let model = model(users: users)
        var rng = SplitMix64(seed: 7)
        let probe = try Matrix(
            rows: HeadMapProjection.probeLimit, cols: model.config.inputSize,
            data: (0..<(HeadMapProjection.probeLimit * model.config.inputSize)).map { _ in Float(rng.symmetric(1)) })
        var times: [Double] = []
        var projection = HeadMapProjection(model: model, probe: probe)
        for _ in 0..<7 {
            let start = MonotonicClock.seconds()
            projection = HeadMapProjection(model: model, probe: probe)
            times.append((MonotonicClock.seconds() - start) * 1000)
        }
        times.sort()
        let points = zip(projection.userIDs, projection.points).map { id, p in
            HeadMapPoint(userID: id, role: id.map { Int($0.dropFirst(4))! % 5 == 0 ? .train : .eval }, x: p.x, y: p.y)
        }
        let rows = projection.userIDs.compactMap { $0 }.map { id in
            HeadRow(
                userID: id, role: .eval,
                reranker: nil,
                adapter: HeadStats(fitExamples: 40, finalLoss: 0.3, denseNorm: 4, outputNorm: 1, distanceToMean: 1, distanceToGlobal: 2),
                delta: 0)
        }
        let report = HeadsReport(
            rows: rows, maps: [HeadMap(scorer: .adapter, method: HeadMapProjection.method, explainedVariance: projection.explainedVariance, points: points)],
            preferences: [], meanRecovery: nil, recoveryUsers: 0, moves: [:])
        return [
            "map_1000_heads_ms": times[times.count / 2],
            "heads_frame_1000_ms": measureFrames(headsScreenModel(report, size: Size(width: 200, height: 60)), keys: [.char("j"), .char("k")]),
        ]
    }
}

/// The heads screen at `size` with `report` in place.
func headsScreenModel(_ report: HeadsReport, size: Size) -> AppModel {
    var model = loaded(size)
    for case .start(let id, .heads) in update(&model, .key(.char("5"))) {
        update(&model, .job(id, JobBatch(end: .result(.heads(report))), at: 1))
    }
    return model
}
