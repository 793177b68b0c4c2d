import Foundation

/// One query term's part of an item's BM25 score (Elasticsearch's `_explain`): the parts add up
/// to the item's score.
public struct TermContribution: Codable, Hashable, Sendable {
    public var term: String
    /// Occurrences of the term in the query (rank_bm25 adds a repeated query term each time).
    public var queryCount: Int
    /// Occurrences of the term in the item.
    public var termFrequency: Int
    /// The item's length in tokens, and the corpus (the user's history) average.
    public var documentLength: Int
    public var averageLength: Double
    /// The term's idf (after rank_bm25's epsilon floor).
    public var idf: Double
    /// queryCount · idf · f·(k1+1) / (f + k1·(1 − b + b·|D|/avgdl)).
    public var contribution: Double

    public init(
        term: String, queryCount: Int = 1, termFrequency: Int, documentLength: Int, averageLength: Double, idf: Double,
        contribution: Double
    ) {
        self.term = term
        self.queryCount = queryCount
        self.termFrequency = termFrequency
        self.documentLength = documentLength
        self.averageLength = averageLength
        self.idf = idf
        self.contribution = contribution
    }
}

/// One retrieved item of a question under the three rankings.
public struct RankedEntry: Codable, Hashable, Sendable {
    public var itemID: String
    /// 1-based BM25 rank and score, with the per-term breakdown.
    public var bm25Rank: Int
    public var bm25Score: Double
    public var terms: [TermContribution]
    /// Cosine of the item and the query under the session's encoder, when computed.
    public var denseCosine: Double?
    /// P(useful) under the shared base + global head and under the user's head, and the
    /// 1-based ranks they give (nil before a run).
    public var baseScore: Double?
    public var personalScore: Double?
    public var baseRank: Int?
    public var personalRank: Int?
    /// Whether the item is among the r in the personalized prompt, and in the base prompt.
    public var inPersonalPrompt: Bool
    public var inBasePrompt: Bool
    /// Where the question was a training case: the item's reranker label (1: the LLM answered
    /// right with it alone) and that answer.
    public var trainingLabel: Int?
    public var answerAlone: String?

    public init(
        itemID: String, bm25Rank: Int, bm25Score: Double, terms: [TermContribution], denseCosine: Double? = nil,
        baseScore: Double? = nil, personalScore: Double? = nil, baseRank: Int? = nil, personalRank: Int? = nil,
        inPersonalPrompt: Bool = false, inBasePrompt: Bool = false, trainingLabel: Int? = nil, answerAlone: String? = nil
    ) {
        self.itemID = itemID
        self.bm25Rank = bm25Rank
        self.bm25Score = bm25Score
        self.terms = terms
        self.denseCosine = denseCosine
        self.baseScore = baseScore
        self.personalScore = personalScore
        self.baseRank = baseRank
        self.personalRank = personalRank
        self.inPersonalPrompt = inPersonalPrompt
        self.inBasePrompt = inBasePrompt
        self.trainingLabel = trainingLabel
        self.answerAlone = answerAlone
    }
}

/// How much two rankings of the same items agree.
public struct RankingAgreement: Codable, Hashable, Sendable {
    /// `bm25`, `base`, `personal`.
    public var first: String
    public var second: String
    /// Kendall's τ-b over the items both rank.
    public var kendallTau: Double
    /// Rank-biased overlap with persistence p = 0.9 (extrapolated, Webber et al. 2010).
    public var rbo: Double

    public init(first: String, second: String, kendallTau: Double, rbo: Double) {
        self.first = first
        self.second = second
        self.kendallTau = kendallTau
        self.rbo = rbo
    }
}

/// One of the adapter's N candidates.
public struct CandidateEntry: Codable, Hashable, Sendable {
    public var text: String
    /// P(good) under the global head and under the user's head.
    public var baseScore: Double
    public var personalScore: Double
    /// The primary metric of this candidate against the gold (ROUGE-1 for generation).
    public var metric: Double?
    /// The LLM's text before the answer was cleaned, when it differs from `text`.
    public var raw: String?

    public init(text: String, baseScore: Double, personalScore: Double, metric: Double?, raw: String? = nil) {
        self.text = text
        self.baseScore = baseScore
        self.personalScore = personalScore
        self.metric = metric
        self.raw = raw
    }
}

/// What one method did for the question.
public struct MethodOutput: Codable, Hashable, Sendable {
    /// `zero-shot`, `rag`, `hydra-base`, `hydra`, …
    public var method: String
    /// The prompt it sent (empty when not known).
    public var prompt: String
    /// The profile items in that prompt, in order.
    public var itemIDs: [String]
    public var answer: String
    public var metric: Double?
    /// The LLM's text before the answer was cleaned, when it differs from `answer`.
    public var rawAnswer: String?

    public init(method: String, prompt: String, itemIDs: [String], answer: String, metric: Double?, rawAnswer: String? = nil) {
        self.method = method
        self.prompt = prompt
        self.itemIDs = itemIDs
        self.answer = answer
        self.metric = metric
        self.rawAnswer = rawAnswer
    }
}

/// Everything the question and outputs screens show for one question.
public struct QuestionReport: Codable, Hashable, Sendable {
    public var questionID: String
    public var userID: String
    public var input: String
    public var gold: String
    /// The task's primary metric and its direction.
    public var metric: String
    public var higherIsBetter: Bool
    /// The user's BM25 top-k under the three rankings.
    public var items: [RankedEntry]
    /// The dense top-k, when the session has an encoder.
    public var dense: [RetrievedHit]
    /// BM25 vs base, BM25 vs personal, base vs personal: for this question, and averaged over
    /// the user's questions.
    public var agreement: [RankingAgreement]
    public var userAgreement: [RankingAgreement]
    /// The N candidates of the personalized prompt, with each head's scores.
    public var candidates: [CandidateEntry]
    public var basePick: String
    public var personalPick: String
    public var baseMetric: Double?
    public var personalMetric: Double?
    /// zero-shot, rag, base, personalized: prompts, answers, metrics.
    public var outputs: [MethodOutput]
    /// Whether the user has heads of their own; without them only the base is shown, and why.
    public var hasPersonalHeads: Bool
    /// LLM calls a counterfactual of this question costs when nothing is cached.
    public var counterfactualCalls: Int

    public init(
        questionID: String, userID: String, input: String, gold: String, metric: String, higherIsBetter: Bool,
        items: [RankedEntry], dense: [RetrievedHit], agreement: [RankingAgreement], userAgreement: [RankingAgreement],
        candidates: [CandidateEntry], basePick: String, personalPick: String, baseMetric: Double?, personalMetric: Double?,
        outputs: [MethodOutput], hasPersonalHeads: Bool, counterfactualCalls: Int
    ) {
        self.questionID = questionID
        self.userID = userID
        self.input = input
        self.gold = gold
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        self.items = items
        self.dense = dense
        self.agreement = agreement
        self.userAgreement = userAgreement
        self.candidates = candidates
        self.basePick = basePick
        self.personalPick = personalPick
        self.baseMetric = baseMetric
        self.personalMetric = personalMetric
        self.outputs = outputs
        self.hasPersonalHeads = hasPersonalHeads
        self.counterfactualCalls = counterfactualCalls
    }
}

/// A what-if on one item of a question's personalized prompt.
public enum CounterfactualKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// The prompt with this item alone.
    case itemAlone = "item-alone"
    /// The personalized prompt without this item (the next-ranked item takes its place).
    case leaveOut = "leave-out"
}

/// The answer (or candidates and pick) before and after a counterfactual.
public struct CounterfactualReport: Codable, Hashable, Sendable {
    public var questionID: String
    public var itemID: String
    public var kind: CounterfactualKind
    public var before: String
    public var after: String
    public var metricBefore: Double?
    public var metricAfter: Double?
    /// For adapter tasks: the candidates after, with both heads' scores.
    public var candidatesAfter: [CandidateEntry]
    /// LLM calls it made (0 when everything came from the cache).
    public var llmCalls: Int

    public init(
        questionID: String, itemID: String, kind: CounterfactualKind, before: String, after: String, metricBefore: Double?,
        metricAfter: Double?, candidatesAfter: [CandidateEntry], llmCalls: Int
    ) {
        self.questionID = questionID
        self.itemID = itemID
        self.kind = kind
        self.before = before
        self.after = after
        self.metricBefore = metricBefore
        self.metricAfter = metricAfter
        self.candidatesAfter = candidatesAfter
        self.llmCalls = llmCalls
    }
}

/// One evaluated question in a run, for navigating to where personalization matters.
public struct QuestionOutcome: Codable, Hashable, Sendable {
    public var questionID: String
    public var userID: String
    /// The picks of the global and the user's adapter head (hydra-base and hydra).
    public var basePick: String
    public var personalPick: String
    /// The primary metric of each, sign-adjusted so larger is better.
    public var baseScore: Double
    public var personalScore: Double

    public init(questionID: String, userID: String, basePick: String, personalPick: String, baseScore: Double, personalScore: Double) {
        self.questionID = questionID
        self.userID = userID
        self.basePick = basePick
        self.personalPick = personalPick
        self.baseScore = baseScore
        self.personalScore = personalScore
    }
}
