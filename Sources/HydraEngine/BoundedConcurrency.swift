import Foundation

/// `body(0) … body(count - 1)` with at most `window` running at once, results in index order.
///
/// The LLM stages use it so a server backend (vLLM, llama.cpp server, OpenAI) sees several
/// requests at a time; the client still enforces its own connection limit, and the embedded
/// runtime serves them one by one from its queue. The first error cancels the rest.
/// - Parameters:
///   - finished: called after each completion with the number finished so far.
func boundedConcurrentMap<T: Sendable>(
    count: Int, window: Int, finished: (@Sendable (Int) -> Void)? = nil,
    _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> [T] {
    var results = [T?](repeating: nil, count: count)
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var next = 0
        var done = 0
        while next < min(count, max(1, window)) {
            let i = next
            group.addTask { (i, try await body(i)) }
            next += 1
        }
        while let (i, value) = try await group.next() {
            results[i] = value
            done += 1
            finished?(done)
            if next < count {
                let j = next
                group.addTask { (j, try await body(j)) }
                next += 1
            }
        }
    }
    return results.map { $0! }
}
