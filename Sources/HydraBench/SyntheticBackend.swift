import Foundation
import LaMP
import TUI

/// A deterministic, made-up LaMP_2 session for the benchmark and the demo executable.
///
/// Its `retrieve` scores items by summed term overlap (a stand-in for BM25, not BM25).
public struct SyntheticBackend: WorkbenchBackend {
    public var userCount: Int
    public var profileSize: Int
    /// Seconds the load pretends to take, in ten progress steps.
    public var loadSeconds: Double
    /// Seconds each retrieval spins the CPU (a synthetic heavy engine task).
    public var retrieveBusySeconds: Double

    public init(userCount: Int = 40, profileSize: Int = 60, loadSeconds: Double = 0, retrieveBusySeconds: Double = 0) {
        self.userCount = userCount
        self.profileSize = profileSize
        self.loadSeconds = loadSeconds
        self.retrieveBusySeconds = retrieveBusySeconds
    }

    static let words = [
        "space", "robot", "detective", "murder", "family", "war", "love", "city", "future", "dream",
        "escape", "island", "prison", "heist", "school", "magic", "dragon", "ship", "ocean", "secret",
        "king", "queen", "revenge", "virus", "alien", "time", "machine", "journey", "memory", "storm",
    ]

    /// The session's data (also what `loadSession` returns).
    public func makeData() -> WorkbenchData {
        let tags = LaMPTask.movieTag.labels ?? ["tag"]
        var users: [WorkbenchUser] = []
        for u in 0..<userCount {
            let size = profileSize / 2 + (u * 7919) % max(1, profileSize)
            var profile: [ProfileItem] = []
            for i in 0..<size {
                var description = (0..<12).map { j in Self.words[(u * 31 + i * 17 + j * j * 7) % Self.words.count] }
                    .joined(separator: " ")
                if i == 1 { description = "東京の物語 🎬 a quiet story of a " + description }
                profile.append(ProfileItem(id: "\(u)\(i)", fields: ["description": description, "tag": tags[(u + i) % tags.count]]))
            }
            let questions = (0..<(2 + u % 4)).map { q in
                let words = (0..<10).map { j in Self.words[(u * 13 + q * 11 + j * 5) % Self.words.count] }
                return Question(
                    id: "\(u)-\(q)",
                    input: "Which tag does this movie relate to? description: " + words.joined(separator: " "),
                    profile: profile, userID: "u\(1000 + u)")
            }
            users.append(WorkbenchUser(id: "u\(1000 + u)", profile: profile, questions: questions))
        }
        return WorkbenchData(task: .movieTag, users: users, title: "synthetic demo")
    }

    public func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> WorkbenchData {
        for step in 0..<10 {
            progress(Double(step) / 10, "reading users (\(step * userCount / 10)/\(userCount))")
            if loadSeconds > 0 { try await Task.sleep(nanoseconds: UInt64(loadSeconds / 10 * 1e9)) }
        }
        progress(1, "done")
        return makeData()
    }

    public func retrieve(userIndex: Int, questionIndex: Int, k: Int) async throws -> [RetrievedItem] {
        if retrieveBusySeconds > 0 {
            let end = MonotonicClock.seconds() + retrieveBusySeconds
            var x = 0.0
            while MonotonicClock.seconds() < end {
                try Task.checkCancellation()
                for i in 0..<10_000 { x += Double(i).squareRoot() }
            }
            if x < 0 { return [] }
        }
        let data = makeData()
        guard data.users.indices.contains(userIndex), data.users[userIndex].questions.indices.contains(questionIndex)
        else { return [] }
        let user = data.users[userIndex]
        let query = Set(Self.tokens(user.questions[questionIndex].input))
        var scored: [(Int, Double, [String])] = []
        for (i, item) in user.profile.enumerated() {
            let tokens = Self.tokens(item["description"] + " " + item["tag"])
            let matched = query.filter { tokens.contains($0) }.sorted()
            let score = tokens.reduce(0.0) { $0 + (query.contains($1) ? 1.0 : 0) } / Double(1 + tokens.count) * 10
            if score > 0 { scored.append((i, score, matched)) }
        }
        scored.sort { ($0.1, -$0.0) > ($1.1, -$1.0) }
        return scored.prefix(k).enumerated().map { rank, hit in
            RetrievedItem(rank: rank + 1, profileIndex: hit.0, score: hit.1, matchedTerms: hit.2)
        }
    }

    static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
