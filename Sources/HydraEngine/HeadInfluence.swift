/// How often the personal heads decided differently from the global heads on the same inputs.
///
/// The paired test of hydra against hydra-base says whether personalization helped; this says
/// whether it did anything at all: personal heads that never change a prompt or a pick make
/// hydra equal to hydra-base by construction, and no test can tell that from a tie.
public struct HeadInfluence: Sendable, Codable, Equatable {
    /// Questions with a trace.
    public var questions: Int
    /// Questions whose prompt items (the reranker's top r of the BM25 top-k) differ between the
    /// user's head and the global head.
    public var promptsChanged: Int
    /// Questions whose pick among the personalized prompt's candidates differs between the
    /// user's adapter head and the global one (questions without candidates count as unchanged).
    public var picksChanged: Int
    /// Questions where hydra's answer differs from hydra-base's (both prompt and pick feed it).
    public var answersChanged: Int

    public init(questions: Int, promptsChanged: Int, picksChanged: Int, answersChanged: Int) {
        self.questions = questions
        self.promptsChanged = promptsChanged
        self.picksChanged = picksChanged
        self.answersChanged = answersChanged
    }

    /// The counts over `traces`, with `promptItems` (r) items in a prompt.
    public init(traces: [QuestionTrace], promptItems: Int) {
        // the prompt's items in prompt order: a reordering changes the prompt too
        func topItems(_ items: [RankedItem], rank: (RankedItem) -> Int) -> [String] {
            items.filter { rank($0) < promptItems }.sorted { rank($0) < rank($1) }.map(\.itemID)
        }
        func pick(_ candidates: [ScoredCandidate], score: (ScoredCandidate) -> Float) -> Int? {
            // the first of equal scores, as the methods pick
            candidates.indices.reduce(nil) { best, i in
                guard let b = best else { return i }
                return score(candidates[i]) > score(candidates[b]) ? i : b
            }
        }
        var prompts = 0, picks = 0, answers = 0
        for trace in traces {
            if topItems(trace.items, rank: \.baseRank) != topItems(trace.items, rank: \.personalRank) { prompts += 1 }
            if pick(trace.candidates, score: \.baseScore) != pick(trace.candidates, score: \.personalScore) { picks += 1 }
            let personal = trace.predictions[HydraMethod.hydra.rawValue], base = trace.predictions[HydraMethod.hydraBase.rawValue]
            if let personal, let base, personal != base { answers += 1 }
        }
        self.init(questions: traces.count, promptsChanged: prompts, picksChanged: picks, answersChanged: answers)
    }

    /// One line for notes and reports.
    public var summary: String {
        "personal heads against the global heads on the same inputs: prompt items changed on \(promptsChanged), picks on \(picksChanged), answers (hydra vs hydra-base) on \(answersChanged) of \(questions) questions"
    }
}
