import Foundation

/// The splitmix64 generator (Steele, Lea, Flood 2014), the project's one seeded RNG.
///
/// Matches the reference scripts: `next()` advances the state by `0x9E3779B97F4A7C15` and mixes;
/// `uniform()` is `(next() >> 11) * 2^-53` in [0, 1). A value type: copying it forks the stream.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The internal 64-bit state.
    public private(set) var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
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
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in label.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        var g = SplitMix64(seed: seed ^ h)
        return g.next()
    }
}

