import Foundation
import LaMP
import TUI

/// A backend for tests: fixed small data, an optional load delay (for the loading screen and
/// responsiveness), an optional failure, and term-overlap "retrieval".
struct FakeBackend: WorkbenchBackend {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var data: WorkbenchData = FakeBackend.sample
    var loadDelay: Double = 0
    var loadFailure: String?

    func loadSession(progress: @escaping @Sendable (Double, String) -> Void) async throws -> WorkbenchData {
        let steps = 4
        for step in 0..<steps {
            progress(Double(step) / Double(steps), "reading user \(step + 1)")
            if loadDelay > 0 { try await Task.sleep(nanoseconds: UInt64(loadDelay / Double(steps) * 1e9)) }
        }
        if let loadFailure { throw Failure(description: loadFailure) }
        return data
    }

    func retrieve(userIndex: Int, questionIndex: Int, k: Int) async throws -> [RetrievedItem] {
        FakeBackend.overlap(data, userIndex: userIndex, questionIndex: questionIndex, k: k)
    }

    /// Items ranked by how many distinct question words they contain.
    static func overlap(_ data: WorkbenchData, userIndex: Int, questionIndex: Int, k: Int) -> [RetrievedItem] {
        let user = data.users[userIndex]
        let query = Set(words(user.questions[questionIndex].input))
        let scored = user.profile.enumerated().compactMap { i, item -> (Int, [String])? in
            let matched = query.intersection(words(item.fields.values.joined(separator: " "))).sorted()
            return matched.isEmpty ? nil : (i, matched)
        }.sorted { ($0.1.count, -$0.0) > ($1.1.count, -$1.0) }
        return scored.prefix(k).enumerated().map { rank, hit in
            RetrievedItem(rank: rank + 1, profileIndex: hit.0, score: Double(hit.1.count) * 1.25, matchedTerms: hit.1)
        }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    static func item(_ id: String, _ tag: String, _ description: String) -> ProfileItem {
        ProfileItem(id: id, fields: ["tag": tag, "description": description])
    }

    /// Three LaMP_2 users; one has CJK and emoji text, one has no questions.
    static let sample: WorkbenchData = {
        let alice = [
            item("a1", "sci-fi", "A crew of explorers travels through a wormhole in space"),
            item("a2", "comedy", "Two friends run a failing pizza shop in Naples"),
            item("a3", "sci-fi", "A robot learns to love on a dying space station"),
            item("a4", "romance", "東京の夏 🎆 two strangers meet at a summer festival"),
        ]
        let bob = [
            item("b1", "action", "A retired agent returns for one last heist"),
            item("b2", "dystopia", "A city where memory is sold on the street"),
        ]
        let carol = [item("c1", "classic", "A silent film star faces the arrival of sound")]
        func question(_ id: String, _ text: String, _ profile: [ProfileItem]) -> Question {
            Question(id: id, input: "Which tag does this movie relate to? description: " + text, profile: profile)
        }
        return WorkbenchData(task: .movieTag, users: [
            WorkbenchUser(id: "310", profile: alice, questions: [
                question("q310a", "A lonely robot drifts through space", alice),
                question("q310b", "A pizza chef enters a contest", alice),
            ]),
            WorkbenchUser(id: "42", profile: bob, questions: [question("q42", "An agent plans a heist in a city", bob)]),
            WorkbenchUser(id: "1007", profile: carol, questions: []),
        ], title: "demo")
    }()
}
