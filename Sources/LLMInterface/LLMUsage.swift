import Foundation

/// What a client has done since it was made: calls, tokens and seconds, as running totals.
///
/// A snapshot is a plain value: take one before and one after an interval (a stage of a run) and
/// subtract them for what the interval cost. Backends fill what they can know: the embedded
/// runtime counts every field exactly, a server client counts its calls, the `usage` its server
/// returns and the wall time, and the caching wrapper adds its hits and misses.
public struct LLMUsage: Sendable, Hashable, Codable {
    /// `generate` calls the backend served.
    public var generateCalls = 0
    /// `choose` calls (constrained choice) the backend served.
    public var chooseCalls = 0
    /// Calls a cache answered without the backend.
    public var cacheHits = 0
    /// Calls a cache passed on to the backend.
    public var cacheMisses = 0
    /// Tokens the model read: the prompts, and for constrained choice also the answer tokens it
    /// scored.
    public var promptTokens = 0
    /// Tokens the model sampled (every sample of every call).
    public var generatedTokens = 0
    /// Seconds the backend spent on calls: for the embedded runtime, the seconds it was busy
    /// serving them; for a server, each call's wall time summed over calls (calls in flight
    /// together each count theirs, so this can exceed the elapsed time).
    public var seconds = 0.0
    /// Seconds of forward passes over given tokens (prompts; the answers constrained choice
    /// scores), where the backend can tell (nil for a server).
    public var prefillSeconds: Double?
    /// Seconds of forward passes over sampled tokens, where the backend can tell.
    public var decodeSeconds: Double?
    /// Seconds inside attention, part of the prefill and decode seconds, where the backend can tell.
    public var attentionSeconds: Double?

    /// Zero everywhere; the runtime figures are nil unless given.
    public init(generateCalls: Int = 0, chooseCalls: Int = 0, cacheHits: Int = 0, cacheMisses: Int = 0,
                promptTokens: Int = 0, generatedTokens: Int = 0, seconds: Double = 0, prefillSeconds: Double? = nil,
                decodeSeconds: Double? = nil, attentionSeconds: Double? = nil) {
        self.generateCalls = generateCalls
        self.chooseCalls = chooseCalls
        self.cacheHits = cacheHits
        self.cacheMisses = cacheMisses
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.seconds = seconds
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
        self.attentionSeconds = attentionSeconds
    }

    /// Calls the backend served, of both kinds.
    public var calls: Int { generateCalls + chooseCalls }

    /// Whether nothing at all was asked of the client (no call, no cache lookup).
    public var isEmpty: Bool { calls == 0 && cacheHits == 0 && cacheMisses == 0 }

    /// The usage between two snapshots of the same client: `later − earlier`, field by field (a
    /// runtime figure only where both snapshots have it).
    public static func - (later: LLMUsage, earlier: LLMUsage) -> LLMUsage {
        func difference(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b else { return nil }
            return a - b
        }
        return LLMUsage(
            generateCalls: later.generateCalls - earlier.generateCalls, chooseCalls: later.chooseCalls - earlier.chooseCalls,
            cacheHits: later.cacheHits - earlier.cacheHits, cacheMisses: later.cacheMisses - earlier.cacheMisses,
            promptTokens: later.promptTokens - earlier.promptTokens,
            generatedTokens: later.generatedTokens - earlier.generatedTokens, seconds: later.seconds - earlier.seconds,
            prefillSeconds: difference(later.prefillSeconds, earlier.prefillSeconds),
            decodeSeconds: difference(later.decodeSeconds, earlier.decodeSeconds),
            attentionSeconds: difference(later.attentionSeconds, earlier.attentionSeconds))
    }

    enum CodingKeys: String, CodingKey {
        case generateCalls = "generate_calls", chooseCalls = "choose_calls", cacheHits = "cache_hits"
        case cacheMisses = "cache_misses", promptTokens = "prompt_tokens", generatedTokens = "generated_tokens"
        case seconds, prefillSeconds = "prefill_seconds", decodeSeconds = "decode_seconds"
        case attentionSeconds = "attention_seconds"
    }
}

/// A client that keeps running totals of its work, so callers can see where time goes.
///
/// Wrappers (the generation cache, meters) conform too and report their base's totals with
/// their own counts added; `LLMClient.reportedUsage` asks any client.
public protocol UsageReportingLLMClient: LLMClient {
    /// The totals since the client was made. Safe to read while calls are in flight; a call's
    /// tokens count once it has finished.
    var usage: LLMUsage { get }
}

extension LLMClient {
    /// The client's running totals, or nil when it keeps none.
    public var reportedUsage: LLMUsage? { (self as? any UsageReportingLLMClient)?.usage }
}

/// Running totals shared by the calls of one client (several are in flight at once).
public final class LLMUsageCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var totals = LLMUsage()

    /// Zero totals.
    public init() {}

    /// The totals so far.
    public var usage: LLMUsage { lock.withLock { totals } }

    /// Changes the totals under the lock (keep `change` short).
    public func add(_ change: (inout LLMUsage) -> Void) {
        lock.withLock { change(&totals) }
    }
}
