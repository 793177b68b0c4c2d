import Basics
import Foundation

/// One injected misbehaviour for one request.
public enum Fault: Sendable, Equatable {
    /// Answer normally.
    case none
    /// Wait this many seconds, then answer normally.
    case delay(Double)
    /// `429 Too Many Requests`, with `Retry-After: <value>` when given.
    case tooManyRequests(retryAfter: String?)
    /// `500 Internal Server Error`.
    case serverError
    /// `200` whose JSON body is cut in half (the HTTP framing itself stays valid).
    case truncatedJSON
    /// `200` whose body is not JSON at all.
    case invalidJSON
}

/// Errors from parsing a fault specification; each names the offending item.
public enum FaultPlanError: Error, Equatable, CustomStringConvertible {
    case invalidItem(String, reason: String)
    case probabilitiesExceedOne(Double)

    /// Names the item and what is wrong with it.
    public var description: String {
        switch self {
        case let .invalidItem(item, reason): return "fault item '\(item)': \(reason)"
        case let .probabilitiesExceedOne(total): return "fault probabilities add up to \(total), more than 1"
        }
    }
}

/// Which faults the server injects: first a scripted sequence, then random draws from a seeded RNG.
///
/// Parsed from e.g. `delay=200ms,429=0.2:retry-after=1,500=0.1,truncate=0.1,invalid-json=0.1,seed=3`:
/// every request waits `delay`, then one draw picks 429 / 500 / truncated JSON / invalid JSON by
/// the given probabilities (or a normal answer). The same seed gives the same sequence.
public struct FaultPlan: Sendable, Equatable {
    /// Seconds every request waits before being answered.
    public var delay: Double = 0
    /// Probability of a 429.
    public var tooManyRequestsRate: Double = 0
    /// The `Retry-After` value sent with injected 429s (`nil` sends none).
    public var retryAfter: String?
    /// Probability of a 500.
    public var serverErrorRate: Double = 0
    /// Probability of a truncated JSON body.
    public var truncateRate: Double = 0
    /// Probability of a body that is not JSON.
    public var invalidJSONRate: Double = 0
    /// Seed of the draws.
    public var seed: UInt64 = 0
    /// Faults for the first requests, in order, before any random draw.
    public var script: [Fault] = []

    /// No faults.
    public static let none = FaultPlan()

    /// A plan with the given rates (which must add up to at most 1).
    public init(delay: Double = 0, tooManyRequestsRate: Double = 0, retryAfter: String? = nil,
                serverErrorRate: Double = 0, truncateRate: Double = 0, invalidJSONRate: Double = 0,
                seed: UInt64 = 0, script: [Fault] = []) {
        self.delay = delay
        self.tooManyRequestsRate = tooManyRequestsRate
        self.retryAfter = retryAfter
        self.serverErrorRate = serverErrorRate
        self.truncateRate = truncateRate
        self.invalidJSONRate = invalidJSONRate
        self.seed = seed
        self.script = script
    }

    /// A plan that plays `faults` for the first requests and then answers normally,
    /// e.g. `.scripted([.tooManyRequests(retryAfter: "1"), .tooManyRequests(retryAfter: "1")])`.
    public static func scripted(_ faults: [Fault]) -> FaultPlan {
        FaultPlan(script: faults)
    }

    /// Parses a comma-separated specification (see the type's documentation). Empty means none.
    /// - Throws: `FaultPlanError` naming the bad item.
    public init(parsing specification: String) throws {
        for raw in specification.split(separator: ",") {
            let item = raw.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            let parts = item.split(separator: ":").map(String.init)
            let head = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard head.count == 2 else { throw FaultPlanError.invalidItem(item, reason: "expected name=value") }
            let (name, value) = (head[0].lowercased(), head[1])
            if name != "429", parts.count > 1 {
                throw FaultPlanError.invalidItem(item, reason: "only 429 takes ':retry-after=…'")
            }
            switch name {
            case "delay": delay = try Self.seconds(value, item: item)
            case "seed":
                guard let number = UInt64(value) else { throw FaultPlanError.invalidItem(item, reason: "seed must be a non-negative integer") }
                seed = number
            case "429":
                tooManyRequestsRate = try Self.probability(value, item: item)
                for option in parts.dropFirst() {
                    let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                    guard pair.count == 2, pair[0].lowercased() == "retry-after", !pair[1].isEmpty else {
                        throw FaultPlanError.invalidItem(item, reason: "expected ':retry-after=SECONDS'")
                    }
                    retryAfter = pair[1]
                }
            case "500": serverErrorRate = try Self.probability(value, item: item)
            case "truncate": truncateRate = try Self.probability(value, item: item)
            case "invalid-json": invalidJSONRate = try Self.probability(value, item: item)
            default:
                throw FaultPlanError.invalidItem(item, reason: "unknown fault (use delay, 429, 500, truncate, invalid-json, seed)")
            }
        }
        let total = tooManyRequestsRate + serverErrorRate + truncateRate + invalidJSONRate
        if total > 1 + 1e-9 { throw FaultPlanError.probabilitiesExceedOne(total) }
    }

    /// The fault for a request, given a uniform draw in `0 ..< 1` (scripted faults come first and
    /// are chosen by the caller). The plan's `delay` is applied separately.
    public func fault(forDraw u: Double) -> Fault {
        var threshold = tooManyRequestsRate
        if u < threshold { return .tooManyRequests(retryAfter: retryAfter) }
        threshold += serverErrorRate
        if u < threshold { return .serverError }
        threshold += truncateRate
        if u < threshold { return .truncatedJSON }
        threshold += invalidJSONRate
        if u < threshold { return .invalidJSON }
        return .none
    }

    private static func probability(_ text: String, item: String) throws -> Double {
        guard let value = Double(text), value >= 0, value <= 1 else {
            throw FaultPlanError.invalidItem(item, reason: "probability must be a number in 0...1")
        }
        return value
    }

    /// `200ms`, `1.5s` or plain seconds.
    private static func seconds(_ text: String, item: String) throws -> Double {
        let lower = text.lowercased()
        let value: Double?
        if lower.hasSuffix("ms") { value = Double(lower.dropLast(2)).map { $0 / 1000 } }
        else if lower.hasSuffix("s") { value = Double(lower.dropLast()) }
        else { value = Double(lower) }
        guard let value, value >= 0, value.isFinite else {
            throw FaultPlanError.invalidItem(item, reason: "delay must look like 200ms, 1.5s or 2")
        }
        return value
    }
}

/// Hands out the fault for each request in arrival order: the script, then seeded draws.
actor FaultInjector {
    private let plan: FaultPlan
    private var rng: SplitMix64
    private var served = 0

    init(plan: FaultPlan) {
        self.plan = plan
        rng = SplitMix64(seed: plan.seed)
    }

    func next() -> Fault {
        defer { served += 1 }
        if served < plan.script.count { return plan.script[served] }
        return plan.fault(forDraw: rng.uniform())
    }
}
