import Foundation

/// A small seeded pseudo-random generator (splitmix64) with the few draws the generator needs.
///
/// Every draw is defined here, in plain arithmetic, so a seed gives the same dataset on every
/// platform and Swift version. It deliberately does not conform to `RandomNumberGenerator`: the
/// standard library's `shuffled(using:)` / `randomElement(using:)` algorithms are not promised
/// to stay the same, so they must not be used for output that is compared byte for byte.
struct SplitMix64 {
    private var state: UInt64

    /// Starts a stream at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// Starts an independent stream derived from `seed` and a list of labels (task, user index,
    /// purpose), so one user's draws never depend on how many draws another user made.
    init(seed: UInt64, stream labels: [UInt64]) {
        var mixer = SplitMix64(seed: seed)
        var mixed = mixer.next()
        for label in labels {
            mixer = SplitMix64(seed: mixed ^ (label &* 0x9E37_79B9_7F4A_7C15))
            mixed = mixer.next()
        }
        state = mixed
    }

    /// The next 64 random bits (Steele, Lea & Flood's splitmix64 finaliser).
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (rejection sampling, no modulo bias). `n` must be positive.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(_:) needs a positive bound")
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        var x = next()
        while x >= limit { x = next() }
        return Int(x % bound)
    }

    /// A uniform integer in the closed range.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A standard normal draw (Box-Muller, one value per call).
    mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// One element of a non-empty array, uniformly.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// The array in a uniformly random order (Fisher-Yates, from the back).
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var out = items
        var i = out.count - 1
        while i > 0 {
            let j = below(i + 1)
            out.swapAt(i, j)
            i -= 1
        }
        return out
    }

    /// `count` distinct elements of `items` in random order (all of them if `count` is larger).
    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        Array(shuffled(items).prefix(max(0, count)))
    }
}
