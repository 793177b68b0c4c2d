import Foundation
import LaMP
import Numerics
import Training

/// What one user's adapter head prefers against the global head, in the task's terms.
public struct HeadPreference: Sendable, Equatable {
    /// Classification and rating tasks: label → mean P(useful) under the user's head − under the
    /// global head, in the task's label order.
    public var labelShifts: [(label: String, shift: Double)]
    /// Generation tasks: candidate property → Pearson correlation with the head's shift over the
    /// probe candidates.
    public var featureWeights: [(feature: String, correlation: Double)]

    public static func == (a: HeadPreference, b: HeadPreference) -> Bool {
        a.labelShifts.elementsEqual(b.labelShifts, by: { $0.label == $1.label && $0.shift == $1.shift })
            && a.featureWeights.elementsEqual(b.featureWeights, by: { $0.feature == $1.feature && $0.correlation == $1.correlation })
    }
}

/// The properties of a generated candidate a head may reward.
public enum CandidateProperty: String, CaseIterable, Sendable {
    case length, capitalised, upperCase = "upper case", question, sharedWords = "shared words"

    /// The property's value for `text`; `profileWords` are the user's own answers' words.
    public func value(_ text: String, profileWords: Set<String>) -> Double {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        switch self {
        case .length:
            return Double(words.count)
        case .capitalised:
            let lettered = words.filter { $0.first?.isLetter == true }
            return lettered.isEmpty ? 0 : Double(lettered.filter { $0.first!.isUppercase }.count) / Double(lettered.count)
        case .upperCase:
            let letters = text.filter(\.isLetter)
            return letters.isEmpty ? 0 : Double(letters.filter(\.isUppercase).count) / Double(letters.count)
        case .question:
            return text.trimmingCharacters(in: .whitespaces).hasSuffix("?") ? 1 : 0
        case .sharedWords:
            let lowered = words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }.filter { !$0.isEmpty }
            return lowered.isEmpty ? 0 : Double(lowered.filter(profileWords.contains).count) / Double(lowered.count)
        }
    }
}

extension HydraPipeline {
    /// Inputs that stand for what `user` asks: their questions, topped up with pseudo-queries
    /// made from their history so users with one question still get several.
    func probeQueries(_ user: EngineUser, count: Int = 6) -> [String] {
        var inputs = user.questions.prefix(count).map(\.question.input)
        if inputs.count < count, let template = CaseBuilder.template(task: config.task, sampleInput: user.questions.first?.question.input ?? ""),
            config.task.answerField != nil
        {
            for item in user.profile where inputs.count < count {
                let text = item[template.field]
                if !text.isEmpty { inputs.append(template.prefix + " " + text) }
            }
        }
        return inputs.map { LaMPRetrievalText.query(task: config.task, input: $0) }
    }

    /// The shared probe pairs of one scorer, from questions spread over the users: the reranker's
    /// pairs are questions with their retrieved items, the adapter's questions with answers (the
    /// task's labels, or history answers for generation).
    public func probeRows(adapter: Bool, limit: Int = HeadMapProjection.probeLimit) throws -> Matrix {
        let (train, eval) = try users()
        let everyone = eval + train
        var questions: [(EngineUser, Question)] = []
        for round in 0..<4 {
            for user in everyone where round < user.questions.count { questions.append((user, user.questions[round].question)) }
        }
        var rows: [Float] = []
        var count = 0
        let answers = config.task.labels ?? Array(everyone.flatMap(\.profile).compactMap { item in
            config.task.answerField.map { item[$0] }
        }.filter { !$0.isEmpty }.prefix(16))
        for (user, question) in questions where count < limit {
            let queryText = LaMPRetrievalText.query(task: config.task, input: question.input)
            if adapter {
                let vectors = try embed([queryText] + answers)
                let share = 1 / Float(max(1, config.sampling.n))
                for answer in answers.prefix(4) where count < limit {
                    PairFeatures.append(
                        u: vectors[queryText] ?? [], v: vectors[answer] ?? [],
                        scalars: [share, config.task.labels.map { 1 / Float($0.count) } ?? 0], to: &rows)
                    count += 1
                }
            } else {
                let query = CaseBuilder.questionCase(question, gold: "", user: user, task: config.task, k: config.retrieval.k)
                let texts = query.hits.prefix(4).map { CaseBuilder.itemText(user.profile[$0.index], task: config.task) }
                let vectors = try embed([queryText] + texts)
                let block = rerankerFeatures(query: vectors[queryText] ?? [], hits: zip(texts, query.hits).map { (vectors[$0.0] ?? [], $0.1.score) })
                let take = min(texts.count, limit - count)
                rows += block.prefix(take * featureWidth)
                count += take
            }
        }
        return try Matrix(rows: count, cols: featureWidth, data: rows)
    }

    /// What `userID`'s adapter head prefers against the global head.
    ///
    /// Classification and rating: every label is scored as a candidate of each of the user's
    /// probe queries, with the scalars of a label the LLM finds no likelier than any other (so the
    /// shift is the head's alone), and the shifts are averaged. Generation: the candidates are
    /// answers from the user's history and others' (a mix of styles), each shift averaged over
    /// the queries, and correlated with each `CandidateProperty`.
    /// - Returns: nil when there is no adapter or the user has no head of their own.
    public func preference(userID: String, models: TrainedModels) throws -> HeadPreference? {
        guard let model = models.adapter, model.headIndex(of: userID) != nil else { return nil }
        let (train, eval) = try users()
        guard let user = (train + eval).first(where: { $0.id == userID }) else {
            throw HydraEngineError.invalidSetting(name: "user", value: userID)
        }
        let queries = probeQueries(user)
        guard !queries.isEmpty else { return HeadPreference(labelShifts: [], featureWeights: []) }
        let share = 1 / Float(max(1, config.sampling.n))

        func shifts(_ answers: [String], probability: Float) throws -> [Double] {
            let vectors = try embed(queries + answers)
            var rows: [Float] = []
            for answer in answers {
                for query in queries {
                    PairFeatures.append(u: vectors[query] ?? [], v: vectors[answer] ?? [], scalars: [share, probability], to: &rows)
                }
            }
            let count = answers.count * queries.count
            let (base, personal) = try score(model, rows: rows, count: count, userID: userID)
            return answers.indices.map { a in
                let range = (a * queries.count)..<((a + 1) * queries.count)
                return range.reduce(0.0) { $0 + Double(personal[$1] - base[$1]) } / Double(queries.count)
            }
        }

        if let labels = config.task.labels {
            let values = try shifts(labels, probability: 1 / Float(labels.count))
            return HeadPreference(labelShifts: Array(zip(labels, values)).map { ($0.0, $0.1) }, featureWeights: [])
        }
        guard let field = config.task.answerField else { return HeadPreference(labelShifts: [], featureWeights: []) }
        let own = user.profile.map { $0[field] }.filter { !$0.isEmpty }
        var others: [String] = []
        for other in (train + eval) where other.id != userID {
            others += other.profile.prefix(4).map { $0[field] }.filter { !$0.isEmpty }
        }
        let candidates = Array(Set(Array(own.prefix(20)) + Array(others.prefix(40)))).sorted()
        let values = try shifts(candidates, probability: 0)
        let profileWords = Set(own.flatMap { $0.lowercased().split(whereSeparator: \.isWhitespace).map {
            String($0).trimmingCharacters(in: .punctuationCharacters)
        } })
        let weights = CandidateProperty.allCases.map { property in
            (property.rawValue, Correlation.pearson(candidates.map { property.value($0, profileWords: profileWords) }, values))
        }
        return HeadPreference(labelShifts: [], featureWeights: weights)
    }
}

/// Correlation coefficients of paired samples.
public enum Correlation {
    /// Pearson's r; nan when either side is constant or there are fewer than two pairs.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = min(x.count, y.count)
        guard n >= 2 else { return .nan }
        let mx = x.prefix(n).reduce(0, +) / Double(n), my = y.prefix(n).reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman's ρ: Pearson's r of the ranks, ties given their mean rank.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(ranks(x), ranks(y))
    }

    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = Double(i + j) / 2 }
            i = j + 1
        }
        return ranks
    }
}
