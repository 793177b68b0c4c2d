/// Keys and values of recent prompts, so a prompt that starts like one of them continues from the
/// longest shared start instead of recomputing it: every chat prompt starts with the same system
/// block and template, the greedy and the sampled call of one prompt share all of it, and the
/// prompts of one task share their instructions.
///
/// Entries are the prompts' own caches (shared, never written again), dropped oldest first when
/// their positions together exceed `capacity`.
struct PromptPrefixCache {
    /// Positions the entries may hold together.
    let capacity: Int
    /// Shorter matches are not reused: the copy would save less than it costs to look up.
    static let minimumMatch = 4
    private var entries: [(tokens: [Int], cache: KVCache)] = []

    init(capacity: Int) { self.capacity = capacity }

    /// Positions held now.
    var positions: Int { entries.reduce(0) { $0 + $1.tokens.count } }

    /// The entry sharing the longest start with `tokens`, and that length capped at `limit`.
    func longestMatch(_ tokens: [Int], limit: Int) -> (cache: KVCache, count: Int)? {
        var best: (cache: KVCache, count: Int)?
        for entry in entries.reversed() {
            let shared = min(limit, commonPrefixLength(entry.tokens, tokens))
            if shared >= Self.minimumMatch && shared > (best?.count ?? 0) { best = (entry.cache, shared) }
        }
        return best
    }

    /// Remembers a processed prompt (its cache holds at least `tokens.count` positions).
    mutating func insert(_ tokens: [Int], cache: KVCache) {
        guard tokens.count >= Self.minimumMatch, tokens.count <= capacity else { return }
        entries.removeAll { $0.tokens == tokens }
        entries.append((tokens, cache))
        var held = positions
        while held > capacity, let oldest = entries.first {
            held -= oldest.tokens.count
            entries.removeFirst()
        }
    }

}

/// Length of the longest common start of `a` and `b`.
func commonPrefixLength(_ a: [Int], _ b: [Int]) -> Int {
    var i = 0
    let n = min(a.count, b.count)
    while i < n && a[i] == b[i] { i += 1 }
    return i
}
