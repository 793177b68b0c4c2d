import Basics
import Foundation

/// The project's one seeded generator (`Basics`), named here so every file of the generator
/// sees it without importing Basics.
typealias SplitMix64 = Basics.SplitMix64

/// The draws the demo generator is defined by, on the project's one `SplitMix64`.
///
/// A seed must give byte-identical files on every platform and Swift version, so the generator
/// uses only these draws (plain arithmetic), never the standard library's `shuffled(using:)` or
/// `randomElement(using:)`, whose algorithms are not promised to stay the same.
extension SplitMix64 {
    /// Starts an independent stream derived from `seed` and a list of labels (task, user index,
    /// purpose), so one user's draws never depend on how many draws another user made.
    init(seed: UInt64, stream labels: [UInt64]) {
        var mixer = SplitMix64(seed: seed)
        var mixed = mixer.next()
        for label in labels {
            mixer = SplitMix64(seed: mixed ^ (label &* 0x9E37_79B9_7F4A_7C15))
            mixed = mixer.next()
        }
        self.init(seed: mixed)
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

    /// A uniform double in [0, 1) with 53 random bits (`uniform()`).
    mutating func unit() -> Double { uniform() }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
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
