import Foundation
import WorkbenchAPI

/// Report data built by hand: a classification user (LaMP_2-like, with hostile text in its
/// history, a NaN loss and a NaN label shift) and a generation user (LaMP_4-like, no cold start).
enum ReportFixtures {
    /// Text that would break Markdown, HTML or a terminal if it were copied through unescaped.
    static let hostile = "<script>alert(\"x\")</script> a | b \u{1B}[31mred & 'quoted'"

    static func classification() -> UserReportData {
        let task = TaskInfo(
            name: "LaMP_2", family: "classification", primaryMetric: "accuracy", higherIsBetter: true,
            profileFields: ["description", "tag"], answerField: "tag")
        let tags = ["comedy", "comedy", "action", "comedy", "sci-fi", "action", "classic"]
        var profile = tags.enumerated().map { index, tag in
            ProfileEntry(
                id: "p\(index + 1)", fields: ["description": "A film number \(index + 1) about things", "tag": tag])
        }
        profile.append(ProfileEntry(id: "p8", fields: ["description": hostile, "tag": "comedy"]))
        let user = UserEntry(
            id: "u0042", role: .eval, profile: profile,
            questions: [
                QuestionEntry(id: "q1", input: "Which tag? description: a heist", content: "a heist", gold: "action"),
                QuestionEntry(id: "q2", input: "Which tag? description: jokes", content: "jokes", gold: hostile),
            ], hasHeads: true)
        let questions = [
            question(
                id: "q1", input: "Which tag does this movie relate to? description: a heist", gold: "action",
                candidates: ["action", "comedy", "classic"], basePick: "comedy", personalPick: "action"),
            question(
                id: "q2", input: "Which tag? description: " + hostile, gold: hostile,
                candidates: ["comedy", hostile], basePick: "comedy", personalPick: hostile),
        ]
        let head = HeadRow(
            userID: "u0042", role: .eval,
            reranker: HeadStats(
                fitExamples: 40, finalLoss: 0.41, denseNorm: 3.2, outputNorm: 1.1, distanceToMean: 0.8,
                distanceToGlobal: 1.3),
            adapter: HeadStats(
                fitExamples: 24, finalLoss: nil, denseNorm: 2.9, outputNorm: 0.7, distanceToMean: 0.5,
                distanceToGlobal: 0.9),
            delta: 0.25)
        let preference = LearnedPreference(
            userID: "u0042",
            labelShifts: [
                LabelShift(label: "comedy", shift: 0.21), LabelShift(label: "action", shift: -0.08),
                LabelShift(label: "sci-fi", shift: .nan), LabelShift(label: hostile, shift: 0.02),
            ],
            featureWeights: [],
            latent: LatentPreference(
                summary: "favourites: comedy, action", measure: "Spearman ρ of label shifts and the latent tag ranking",
                recovery: 0.83))
        let moves = HeadMoves(
            items: [HeadMove(questionID: "q1", subject: "p3", baseScore: 0.2, personalScore: 0.7)],
            candidates: [HeadMove(questionID: "q2", subject: hostile, baseScore: 0.6, personalScore: 0.1)])
        let losses = [
            LossSeries(
                id: LossSeriesID(model: "reranker", userID: "u0042"), losses: [0.69, 0.6, .nan, 0.5, 0.45, 0.41]),
            LossSeries(id: LossSeriesID(model: "adapter", userID: "u0042"), losses: [0.7, 0.62, 0.55, .infinity]),
        ]
        let coldStart = ColdStartReport(
            userIDs: ["u0042"], metric: "accuracy", higherIsBetter: true,
            points: [
                ColdStartPoint(size: 5, values: [0.2, 0.3, 0.25]), ColdStartPoint(size: 10, values: [0.35, 0.5, 0.4]),
                ColdStartPoint(size: 20, values: []),  // a size without results: its mean is NaN
                ColdStartPoint(size: 40, values: [0.6, 0.55, 0.7]),
            ],
            baseOnly: 0.3, rag: 0.45, seeds: 3, newLLMCalls: 0, seconds: 2.5,
            notes: ["size 40 > history: used all 8 items"])
        let maps = [
            HeadMap(
                scorer: .adapter, method: "PCA of the heads' scores on a shared probe set.",
                explainedVariance: [0.6, 0.25],
                points: [
                    HeadMapPoint(userID: "u0001", role: .train, x: -1, y: 0.5),
                    HeadMapPoint(userID: "u0002", role: .train, x: .nan, y: 0.1),
                    HeadMapPoint(userID: "u0042", role: .eval, x: 1.5, y: -0.4),
                    HeadMapPoint(userID: nil, role: nil, x: 0, y: 0),
                ])
        ]
        return UserReportData(
            session: "demo <movies>", task: task, user: user, head: head, preference: preference, moves: moves,
            questions: questions, losses: losses, coldStart: coldStart, headMaps: maps)
    }

    static func generation() -> UserReportData {
        let task = TaskInfo(
            name: "LaMP_4", family: "generation", primaryMetric: "rouge-1", higherIsBetter: true,
            profileFields: ["text", "title"], answerField: "title")
        let profile = (1...6).map {
            ProfileEntry(id: "g\($0)", fields: ["text": "Article \($0) text", "title": "Four word title \($0)"])
        }
        let user = UserEntry(id: "u0007", role: .eval, profile: profile, questions: [], hasHeads: true)
        let questions = [
            question(
                id: "q7", input: "Generate a headline for the following article: markets rally",
                gold: "Markets rally again",
                candidates: ["Markets rally", "Stocks up today"], basePick: "Stocks up today",
                personalPick: "Markets rally",
                metric: "rouge-1", itemIDs: ["g2", "g5", "g6"]),
            question(
                id: "q8", input: "Generate a headline for the following article: rain", gold: "Rain falls",
                candidates: [], basePick: "", personalPick: "", metric: "rouge-1", itemIDs: ["g1", "g4", "g3"]),
        ]
        let preference = LearnedPreference(
            userID: "u0007", labelShifts: [],
            featureWeights: [
                FeatureWeight(feature: "length", correlation: -0.4),
                FeatureWeight(feature: "shared words", correlation: 0.6),
            ],
            latent: nil)
        return UserReportData(
            session: "demo headlines", task: task, user: user, head: nil, preference: preference, moves: nil,
            questions: questions, losses: [], coldStart: nil)
    }

    /// A question with three retrieved items whose BM25, base and personal ranks differ.
    private static func question(
        id: String, input: String, gold: String, candidates: [String], basePick: String, personalPick: String,
        metric: String = "accuracy", itemIDs: [String] = ["p1", "p8", "p3"]
    ) -> QuestionReport {
        let items = [
            RankedEntry(
                itemID: itemIDs[0], bm25Rank: 1, bm25Score: 7.25, terms: [], baseScore: 0.4, personalScore: 0.55, baseRank: 3,
                personalRank: 2, inPersonalPrompt: true, inBasePrompt: false, trainingLabel: 1),
            RankedEntry(
                itemID: itemIDs[1], bm25Rank: 2, bm25Score: 5.5, terms: [], baseScore: 0.7, personalScore: 0.2, baseRank: 1,
                personalRank: 3, inPersonalPrompt: false, inBasePrompt: true),
            RankedEntry(
                itemID: itemIDs[2], bm25Rank: 3, bm25Score: 2, terms: [], baseScore: 0.6, personalScore: 0.9, baseRank: 2,
                personalRank: 1, inPersonalPrompt: true, inBasePrompt: true, trainingLabel: 0),
        ]
        let scored = candidates.enumerated().map { index, text in
            CandidateEntry(
                text: text, baseScore: text == basePick ? 0.8 : 0.3 + Double(index) / 100,
                personalScore: text == personalPick ? 0.9 : 0.2, metric: text == gold ? 1 : 0)
        }
        let outputs = [
            MethodOutput(method: "zero-shot", prompt: input, itemIDs: [], answer: "comedy", metric: 0),
            MethodOutput(
                method: "hydra-base", prompt: "", itemIDs: [itemIDs[1], itemIDs[2]], answer: basePick,
                metric: basePick == gold ? 1 : 0),
            MethodOutput(
                method: "hydra", prompt: "", itemIDs: [itemIDs[2], itemIDs[0]], answer: personalPick,
                metric: personalPick == gold ? 1 : 0),
        ]
        return QuestionReport(
            questionID: id, userID: "u", input: input, gold: gold, metric: metric, higherIsBetter: true, items: items,
            dense: [], agreement: [], userAgreement: [], candidates: scored, basePick: basePick,
            personalPick: personalPick,
            baseMetric: basePick == gold ? 1 : 0, personalMetric: personalPick == gold ? 1 : 0, outputs: outputs,
            hasPersonalHeads: true, counterfactualCalls: 3)
    }
}
