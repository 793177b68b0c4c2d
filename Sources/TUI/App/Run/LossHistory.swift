import WorkbenchAPI

/// One loss curve kept at bounded memory: once it holds `capacity` buckets, neighbouring
/// buckets merge (their means), so a 100,000-step run keeps at most `capacity` raw and smoothed
/// values, each the mean of `stride` steps.
public struct LossCurve: Sendable {
    public let id: LossSeriesID
    /// Bucket means of the raw loss, oldest first.
    public private(set) var values: [Float] = []
    /// Bucket means of the smoothed (EMA) loss.
    public private(set) var smoothed: [Float] = []
    /// Steps per bucket (a power of two).
    public private(set) var stride = 1
    /// Steps received.
    public private(set) var steps = 0
    /// Steps planned, as the engine last said.
    public private(set) var totalSteps = 0
    /// The latest raw and smoothed loss.
    public private(set) var lastLoss: Float = .nan
    public private(set) var ema: Float = .nan
    /// The EMA's weight of a new step.
    public static let smoothing: Float = 0.05
    let capacity: Int
    private var pendingSum: Float = 0
    private var pendingSmoothed: Float = 0
    private var pendingCount = 0

    public init(id: LossSeriesID, capacity: Int = 1024) {
        self.id = id
        self.capacity = max(4, capacity & ~1)
    }

    /// Adds one step's loss.
    public mutating func append(_ loss: Float, totalSteps: Int) {
        steps += 1
        self.totalSteps = max(totalSteps, steps)
        lastLoss = loss
        if loss.isFinite { ema = ema.isFinite ? ema + LossCurve.smoothing * (loss - ema) : loss }
        pendingSum += loss
        pendingSmoothed += ema
        pendingCount += 1
        guard pendingCount == stride else { return }
        values.append(pendingSum / Float(stride))
        smoothed.append(pendingSmoothed / Float(stride))
        pendingSum = 0
        pendingSmoothed = 0
        pendingCount = 0
        if values.count >= capacity { halve() }
    }

    private mutating func halve() {
        values = Self.pairMeans(values)
        smoothed = Self.pairMeans(smoothed)
        stride *= 2
    }

    private static func pairMeans(_ a: [Float]) -> [Float] {
        (0..<(a.count / 2)).map { (a[2 * $0] + a[2 * $0 + 1]) / 2 }
    }

    /// The buckets covering the last `steps` steps (all when nil).
    public func window(lastSteps: Int?) -> (raw: ArraySlice<Float>, smoothed: ArraySlice<Float>) {
        guard let lastSteps else { return (values[...], smoothed[...]) }
        let buckets = max(1, (lastSteps + stride - 1) / stride)
        return (values.suffix(buckets), smoothed.suffix(buckets))
    }

    /// Bytes the curve holds (for the memory figure).
    public var storedBytes: Int { (values.capacity + smoothed.capacity) * MemoryLayout<Float>.size }
}

/// Every loss curve of a run, in a stable order (shared phase first, then heads by user).
public struct LossHistory: Sendable {
    public private(set) var curves: [LossCurve] = []
    private var index: [LossSeriesID: Int] = [:]
    /// Steps received in all, and when the first and latest arrived (monotonic seconds), for
    /// steps per second.
    public private(set) var totalSteps = 0
    public private(set) var firstAt: Double?
    public private(set) var lastAt: Double?

    public init() {}

    /// Adds a batch of points received at `time`.
    public mutating func add(_ points: [LossPoint], at time: Double) {
        guard !points.isEmpty else { return }
        if firstAt == nil { firstAt = time }
        lastAt = time
        for point in points {
            let i: Int
            if let found = index[point.series] {
                i = found
            } else {
                i = curves.count
                curves.append(LossCurve(id: point.series))
                index[point.series] = i
            }
            curves[i].append(point.loss, totalSteps: point.totalSteps)
        }
        totalSteps += points.count
    }

    /// Replaces everything with stored series (a finished run reopened).
    public mutating func load(_ series: [LossSeries]) {
        self = LossHistory()
        for s in series.sorted(by: { $0.id < $1.id }) {
            var curve = LossCurve(id: s.id)
            for loss in s.losses { curve.append(loss, totalSteps: s.losses.count) }
            index[s.id] = curves.count
            curves.append(curve)
            totalSteps += s.losses.count
        }
    }

    public func curve(_ id: LossSeriesID) -> LossCurve? { index[id].map { curves[$0] } }

    /// Steps per second since the first batch.
    public var stepsPerSecond: Double? {
        guard let firstAt, let lastAt, lastAt > firstAt else { return nil }
        return Double(totalSteps) / (lastAt - firstAt)
    }

    /// Bytes held by every curve.
    public var storedBytes: Int { curves.reduce(0) { $0 + $1.storedBytes } }

    /// Every curve as CSV rows `series,model,user,step,loss,smoothed` (steps are bucket ends).
    public func csv() -> String {
        var out = "series,model,user,step,loss,smoothed\n"
        for curve in curves {
            for (i, value) in curve.values.enumerated() {
                out += "\(curve.id.name),\(curve.id.model),\(curve.id.userID ?? ""),\((i + 1) * curve.stride),\(value),\(curve.smoothed[i])\n"
            }
        }
        return out
    }
}
