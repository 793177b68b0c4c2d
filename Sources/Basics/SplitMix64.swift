import Foundation

/// The splitmix64 generator (Steele, Lea, Flood 2014), the project's one seeded RNG.
///
/// Matches the reference scripts: `next()` advances the state by `0x9E3779B97F4A7C15` and mixes;
/// `uniform()` is `(next() >> 11) * 2^-53` in [0, 1). A value type: copying it forks the stream.
/// Every draw is plain arithmetic here, so a seed gives the same values on every platform; code
/// whose output is compared byte for byte (the demo data) keeps to these draws rather than the
/// standard library's `shuffled(using:)`, whose algorithm is not promised to stay the same.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The internal 64-bit state (stored under another name so the inlinable `next()` may
    /// advance it while callers only read it).
    @usableFromInline var current: UInt64
    /// The internal 64-bit state.
    public var state: UInt64 { current }

    /// A generator starting from `seed` (the first `next()` mixes `seed + 0x9E3779B97F4A7C15`).
    @inlinable
    public init(seed: UInt64) { current = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        current &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(current)
    }

    /// splitmix64's finaliser: a bijective mix of all 64 bits (also a good hash finaliser).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1): `(next() >> 11) * 2^-53`.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in [-bound, bound): `(2 * uniform() - 1) * bound`.
    public mutating func symmetric(_ bound: Double) -> Double {
        (2 * uniform() - 1) * bound
    }

    /// A standard normal Double (Box–Muller, two uniforms per value).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1.0p-53)
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An integer in 0..<upperBound (by modulo-free multiply-shift; upperBound > 0).
    public mutating func index(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(upperBound)).high)
    }

    /// Fisher–Yates shuffle of `array`, deterministic for a given state.
    public mutating func shuffle<T>(_ array: inout [T]) {
        if array.count < 2 { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = index(below: i + 1)
            array.swapAt(i, j)
        }
    }

    /// A seed derived from a base seed and a string (FNV-1a of its UTF-8, mixed), so each user's
    /// stream depends only on the user id, not on list order or scheduling.
    public static func derivedSeed(_ seed: UInt64, _ label: String) -> UInt64 {
        var g = SplitMix64(seed: seed ^ FNV1a64.hash(label))
        return g.next()
    }
}
