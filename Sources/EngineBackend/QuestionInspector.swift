import Foundation
import GenerationCache
import HydraEngine
import LaMP
import Retrieval
import WorkbenchAPI

/// The reranker debugger's reports on one question of a run: the three rankings with the BM25
/// breakdown, agreement, the candidates under both heads, every method's prompt and answer, and
/// counterfactuals on single items. LLM calls go through the session's cache, so a question the
/// run answered costs none; calls that miss it are counted under the cache.
struct QuestionInspector {
    let setup: RunSetup
    /// The run's models (fitted ones when available).
    let models: TrainedModels
    /// The run's saved results, whose predictions are shown as they were.
    let saved: HydraResults?

    /// The methods the outputs screen shows side by side.
    static let outputMethods: [HydraMethod] = [.zeroShot, .rag, .hydraBase, .hydra]

    private var metric: QuestionMetric { QuestionMetric(task: setup.config.task) }

    /// A pipeline over the setup whose LLM misses are counted.
    private func countedPipeline() throws -> (pipeline: HydraPipeline, misses: CallCountingLLMClient) {
        let misses = CallCountingLLMClient(wrapping: setup.meter)
        let client = try CachedLLMClient(wrapping: misses, database: setup.store.database)
        return (setup.makePipeline(client: client), misses)
    }

    func report(questionID: String) async throws -> QuestionReport {
        let (pipeline, _) = try countedPipeline()
        let inspection = try await pipeline.inspect(questionID: questionID, models: models)
        let (train, eval) = try pipeline.users()
        guard let user = (train + eval).first(where: { $0.id == inspection.userID }) else {
            throw HydraEngineError.invalidSetting(name: "user", value: inspection.userID)
        }
        let rerankerHead = models.reranker?.headIndex(of: user.id) != nil
        let adapterHead = models.adapter?.headIndex(of: user.id) != nil
        let r = setup.config.retrieval.r

        let items = inspection.items.map { item in
            entry(item, user: user, query: LaMPRetrievalText.query(task: setup.config.task, input: inspection.input),
                  scored: models.reranker != nil, personal: rerankerHead, r: r)
        }
        let ranked = inspection.items.map(\.ranked)
        let userRankings = try pipeline.rankings(userID: user.id, models: models).map(\.items)

        let candidates = inspection.candidates.map { candidate in
            CandidateEntry(
                text: candidate.candidate.text, baseScore: Double(candidate.baseScore),
                personalScore: adapterHead ? Double(candidate.personalScore) : 0,
                metric: metric.score(candidate.candidate.text, gold: inspection.gold), raw: candidate.candidate.raw)
        }

        let trace = saved?.traces.first { $0.questionID == questionID }
        var known: [HydraMethod: String] = [:]
        for method in Self.outputMethods { known[method] = trace?.predictions[method.rawValue] }
        let outputs = try await pipeline.methodAnswers(
            questionID: questionID, methods: Self.outputMethods, models: models, known: known
        ).map { answer in
            MethodOutput(
                method: answer.method.rawValue, prompt: answer.prompt, itemIDs: answer.itemIDs, answer: answer.answer,
                metric: metric.score(answer.answer, gold: inspection.gold),
                rawAnswer: answer.rawAnswer ?? trace?.rawPredictions?[answer.method.rawValue])
        }

        return QuestionReport(
            questionID: questionID, userID: user.id, input: inspection.input, gold: inspection.gold, metric: metric.name,
            higherIsBetter: metric.higherIsBetter, items: items,
            dense: inspection.dense.map { RetrievedHit(rank: $0.rank + 1, itemID: $0.itemID, score: Double($0.score), matchedTerms: []) },
            agreement: models.reranker == nil ? [] : AgreementFigures.question(ranked, personal: rerankerHead),
            userAgreement: models.reranker == nil ? [] : AgreementFigures.mean(userRankings, personal: rerankerHead),
            candidates: candidates, basePick: inspection.basePick, personalPick: adapterHead ? inspection.personalPick : "",
            baseMetric: metric.score(inspection.basePick, gold: inspection.gold),
            personalMetric: adapterHead ? metric.score(inspection.personalPick, gold: inspection.gold) : nil,
            outputs: outputs, hasPersonalHeads: rerankerHead && adapterHead, counterfactualCalls: 1)
    }

    /// One retrieved item as the report shows it.
    /// - Parameters:
    ///   - scored: whether a reranker was trained (else its scores mean nothing).
    ///   - personal: whether the user has a reranker head of their own.
    private func entry(_ item: InspectedItem, user: EngineUser, query: String, scored: Bool, personal: Bool, r: Int) -> RankedEntry {
        let ranked = item.ranked
        let cosine = item.denseCosine.flatMap { $0.isFinite ? Double($0) : nil }
        return RankedEntry(
            itemID: ranked.itemID, bm25Rank: ranked.bm25Rank + 1, bm25Score: ranked.bm25Score,
            terms: terms(of: ranked, user: user, query: query), denseCosine: cosine,
            baseScore: scored ? Double(ranked.baseScore) : nil, personalScore: scored && personal ? Double(ranked.personalScore) : nil,
            baseRank: scored ? ranked.baseRank + 1 : nil, personalRank: scored && personal ? ranked.personalRank + 1 : nil,
            // the personal ranking is the one `hydra` used, the base's when the user has no head
            inPersonalPrompt: ranked.personalRank < r, inBasePrompt: ranked.baseRank < r,
            trainingLabel: item.trainingLabel, answerAlone: item.answerAlone)
    }

    /// The BM25 breakdown of an item's score, over the index retrieval used. Items are found by
    /// id; should two profile items share one, the one whose score matches is explained.
    private func terms(of item: RankedItem, user: EngineUser, query: String) -> [TermContribution] {
        let explanations = user.profile.indices.filter { user.profile[$0].id == item.itemID }.compactMap { d in
            user.index.explain(
                query: query, document: d, text: LaMPRetrievalText.corpusText(task: setup.config.task, item: user.profile[d]))
        }
        guard let explanation = explanations.first(where: { $0.score == item.bm25Score }) ?? explanations.first else { return [] }
        return explanation.terms.map { term in
            TermContribution(
                term: term.term, queryCount: term.queryCount, termFrequency: term.termFrequency, documentLength: explanation.documentLength,
                averageLength: explanation.averageLength, idf: term.idf, contribution: term.contribution)
        }
    }

    func counterfactual(questionID: String, itemID: String, kind: CounterfactualKind) async throws -> CounterfactualReport {
        let (pipeline, misses) = try countedPipeline()
        let edit: PromptEdit
        switch kind {
        case .itemAlone: edit = .itemAlone(itemID: itemID)
        case .leaveOut: edit = .leaveOut(itemID: itemID)
        }
        let answers = try await pipeline.counterfactual(questionID: questionID, edit: edit, models: models)
        let gold = answers.gold
        let adapterHead = models.adapter?.headIndex(of: answers.userID) != nil
        return CounterfactualReport(
            questionID: questionID, itemID: itemID, kind: kind, before: answers.before.answer, after: answers.after.answer,
            metricBefore: metric.score(answers.before.answer, gold: gold), metricAfter: metric.score(answers.after.answer, gold: gold),
            candidatesAfter: answers.after.candidates.map { candidate in
                CandidateEntry(
                    text: candidate.candidate.text, baseScore: Double(candidate.baseScore),
                    personalScore: adapterHead ? Double(candidate.personalScore) : 0,
                    metric: metric.score(candidate.candidate.text, gold: gold), raw: candidate.candidate.raw)
            },
            llmCalls: misses.calls)
    }
}
