import Foundation
import LaMP
import Numerics
import Retrieval

/// One user of a run: profile, BM25 index over it, and questions with golds.
public struct EngineUser: Sendable {
    /// Training users come from the train split, evaluation users from the dev split.
    public enum Role: String, Sendable, Codable { case train, eval }
    /// The user id.
    public let id: String
    /// Train or eval.
    public let role: Role
    /// The history.
    public let profile: [ProfileItem]
    /// BM25 over the profile's corpus texts.
    public let index: BM25Index
    /// The user's questions and their golds.
    public let questions: [(question: Question, gold: String)]
}

/// A query with a known answer: a real question, or a pseudo-query built from a profile item.
public struct QueryCase: Sendable {
    /// `question id`, or `pseudo:<user>:<item id>`.
    public let id: String
    /// The user.
    public let userID: String
    /// The task input.
    public let input: String
    /// The known answer.
    public let gold: String
    /// The BM25 top-k over the user's profile (without the item itself for a pseudo-query).
    public let hits: [BM25Hit]
    /// Whether this came from a profile item.
    public let isPseudo: Bool
    /// Whether each hit gets a reranker label (one LLM call per hit). Adapter-only cases cost one
    /// call, the candidates of the BM25 top-r prompt, so a user's history can give their adapter
    /// head many more examples than their reranker head for the same budget.
    public let labelsItems: Bool
}

/// Builds users and query cases.
enum CaseBuilder {
    /// Users of one split (the first `limit`, in order of first question), with their golds.
    static func users(split: LaMPDataset.SplitData, task: LaMPTask, role: EngineUser.Role, limit: Int?) throws -> [EngineUser] {
        guard let golds = split.golds else { throw HydraEngineError.missingGolds(split: split.split.rawValue) }
        var goldByID: [String: String] = [:]
        for g in golds { goldByID[g.id] = g.output }
        let index = UserIndex(questions: split.questions)
        let chosen = limit.map { Array(index.users.prefix($0)) } ?? index.users
        return chosen.map { user in
            let corpus = user.profile.map { LaMPRetrievalText.corpusText(task: task, item: $0) }
            let questions = user.questionIndices.map { i in
                (split.questions[i], goldByID[split.questions[i].id] ?? "")
            }
            return EngineUser(id: user.id, role: role, profile: user.profile, index: BM25Index(documents: corpus), questions: questions)
        }
    }

    /// The input template: the part of a real input up to and including the marker before the
    /// query text (e.g. `… description:`), or nil when the task has no answer field.
    static func template(task: LaMPTask, sampleInput: String) -> (prefix: String, field: String)? {
        guard task.answerField != nil else { return nil }
        let marker: String
        let field: String
        switch task {
        case .movieTag: (marker, field) = ("description:", "description")
        case .newsCategory: (marker, field) = ("article:", "text")
        case .productRating: (marker, field) = ("review:", "text")
        case .newsHeadline: (marker, field) = ("article:", "text")
        case .scholarlyTitle: (marker, field) = ("paper:", "abstract")
        case .emailSubject: (marker, field) = (":", "text")
        case .citation, .tweetParaphrase: return nil
        }
        guard let range = sampleInput.range(of: marker) else { return nil }
        return (String(sampleInput[..<range.upperBound]), field)
    }

    /// The real-question case of a question.
    static func questionCase(_ question: Question, gold: String, user: EngineUser, task: LaMPTask, k: Int) -> QueryCase {
        let hits = user.index.top(query: LaMPRetrievalText.query(task: task, input: question.input), k: k)
        return QueryCase(
            id: question.id, userID: user.id, input: question.input, gold: gold, hits: hits, isPseudo: false, labelsItems: true)
    }

    /// Up to `count` pseudo-queries from `user`'s profile items (chosen with a seeded shuffle),
    /// each retrieving from the rest of the profile, followed by up to `adapterOnly` more that
    /// label only the adapter (`labelsItems` false).
    static func pseudoCases(
        user: EngineUser, task: LaMPTask, template: (prefix: String, field: String)?, count: Int, adapterOnly: Int = 0,
        k: Int, seed: UInt64
    ) -> [QueryCase] {
        guard let template, let answerField = task.answerField, count + adapterOnly > 0, user.profile.count > 1 else { return [] }
        var order = Array(user.profile.indices)
        var rng = Numerics.SplitMix64(seed: Numerics.SplitMix64.derivedSeed(seed, "pseudo:" + user.id))
        rng.shuffle(&order)
        var cases: [QueryCase] = []
        for i in order where cases.count < count + adapterOnly {
            let item = user.profile[i]
            let answer = item[answerField], text = item[template.field]
            guard !answer.isEmpty, !text.isEmpty else { continue }
            let input = template.prefix + " " + text
            let hits = user.index.top(query: LaMPRetrievalText.query(task: task, input: input), k: k + 1)
                .filter { $0.index != i }.prefix(k)
            cases.append(QueryCase(
                id: "pseudo:\(user.id):\(item.id)", userID: user.id, input: input, gold: answer, hits: Array(hits), isPseudo: true,
                labelsItems: cases.count < count))
        }
        return cases
    }

    /// The text embedded for a history item: its answer (tag, score, title) first, then its
    /// corpus text, so the label the LLM will see is inside the encoder's window.
    static func itemText(_ item: ProfileItem, task: LaMPTask) -> String {
        let corpus = LaMPRetrievalText.corpusText(task: task, item: item)
        guard let field = task.answerField, task.family != .generation || field != "title" else { return corpus }
        return item[field] + ": " + corpus
    }
}
