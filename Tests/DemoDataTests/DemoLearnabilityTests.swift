import Foundation
import LaMP
import XCTest

@testable import DemoData

/// The latent preferences can be recovered from a user's own profile by simple predictors, and
/// doing so beats predictors that ignore who the user is.
final class DemoLearnabilityTests: XCTestCase {
    private func dataset(_ task: LaMPTask, seed: UInt64) throws -> DemoDataset {
        try DemoGenerator(
            spec: DemoSpec(task: task, users: 36, seed: seed, profileSize: 40...120, questionsPerUser: 6)
        ).makeDataset()
    }

    // MARK: - LaMP_2

    /// The majority tag among the `k` items sharing the most content words with the query.
    private func nearestTag(query: Set<String>, items: [(words: Set<String>, tag: String)], k: Int = 10) -> String? {
        var scored: [(overlap: Int, index: Int)] = []
        for (index, item) in items.enumerated() {
            let overlap = item.words.intersection(query).count
            if overlap > 0 { scored.append((overlap, index)) }
        }
        scored.sort { $0.overlap != $1.overlap ? $0.overlap > $1.overlap : $0.index < $1.index }
        return majority(scored.prefix(k).map { items[$0.index].tag })
    }

    func testMovieTags_OwnProfileNeighbours_BeatGlobalAndPooledPredictors() throws {
        let data = try dataset(.movieTag, seed: 11)
        let globalTag = try XCTUnwrap(majority(data.trainGolds.map(\.output)))
        var pooled: [(words: Set<String>, tag: String)] = []
        var seenUsers = Set<String>()
        for question in data.trainQuestions where seenUsers.insert(question.userID ?? "").inserted {
            pooled += question.profile.map { (contentWords($0["description"]), $0["tag"]) }
        }
        var own = 0, global = 0, pooledHits = 0
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let query = contentWords(itemText(ofInput: question.input))
            let profile = question.profile.map { (words: contentWords($0["description"]), tag: $0["tag"]) }
            if nearestTag(query: query, items: profile) == gold.output { own += 1 }
            if globalTag == gold.output { global += 1 }
            if nearestTag(query: query, items: pooled, k: 25) == gold.output { pooledHits += 1 }
        }
        let n = Double(data.devQuestions.count)
        let (ownAcc, globalAcc, pooledAcc) = (Double(own) / n, Double(global) / n, Double(pooledHits) / n)
        print("LaMP_2 dev accuracy: own-profile kNN \(ownAcc), pooled kNN \(pooledAcc), global majority \(globalAcc)")
        XCTAssertGreaterThan(ownAcc, globalAcc + 0.4)
        XCTAssertGreaterThan(ownAcc, pooledAcc + 0.1)
    }

    /// The tags whose own (not shared) pool words occur at least twice in the text.
    private func detectedTags(_ text: String, pools: [(tag: String, words: Set<String>)]) -> Set<String> {
        let words = contentWords(text)
        return Set(pools.filter { $0.words.intersection(words).count >= 2 }.map(\.tag))
    }

    private func tagPools() -> [(tag: String, words: Set<String>)] {
        let raw = MovieVocabulary.all.map { v in
            (v.tag, contentWords((v.places + v.roles + v.names + v.things + v.verbs + v.adjectives).joined(separator: " ")))
        }
        return raw.map { tag, words in
            (tag, words.filter { w in raw.filter { $0.1.contains(w) }.count == 1 })
        }
    }

    func testMovieTags_PersonalChoiceAmongPlausibleTags_BeatsGlobalChoice() throws {
        // the brief's predictor: among the tags the question's vocabulary shows, take the one the
        // user applied most often to profile movies whose vocabulary overlaps the question's tags
        let data = try dataset(.movieTag, seed: 13)
        let pools = tagPools()
        var globalCounts: [String: Int] = [:]
        for gold in data.trainGolds { globalCounts[gold.output, default: 0] += 1 }
        var personal = 0, global = 0
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let plausible = detectedTags(itemText(ofInput: question.input), pools: pools)
            var userCounts: [String: Int] = [:]
            for item in question.profile where !detectedTags(item["description"], pools: pools).isDisjoint(with: plausible) {
                userCounts[item["tag"], default: 0] += 1
            }
            let order = MovieVocabulary.all.map(\.tag).filter { plausible.contains($0) }
            let mine = order.max { (userCounts[$0] ?? 0) < (userCounts[$1] ?? 0) }
            let theirs = order.max { (globalCounts[$0] ?? 0) < (globalCounts[$1] ?? 0) }
            if mine == gold.output { personal += 1 }
            if theirs == gold.output { global += 1 }
        }
        let n = Double(data.devQuestions.count)
        print("LaMP_2 dev accuracy among plausible tags: personal \(Double(personal) / n), global \(Double(global) / n)")
        XCTAssertGreaterThan(Double(personal) / n, 0.8)
        XCTAssertGreaterThan(Double(personal - global) / n, 0.2)
    }

    func testMovieTags_ProfileTopTag_IsAFavourite() throws {
        let data = try dataset(.movieTag, seed: 12)
        var hits = 0
        for user in data.users.users {
            let question = try XCTUnwrap((data.trainQuestions + data.devQuestions).first { $0.userID == user.userID })
            let top = majority(question.profile.map { $0["tag"] })
            if let top, user.movieTags?.favouriteTags.contains(top) == true { hits += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(hits), 0.9 * Double(data.users.users.count))
    }

    // MARK: - LaMP_3

    /// A text-only score model learned from pooled training profiles: the mean over the text's
    /// known words of each word's mean score.
    private struct WordMeanModel {
        var sums: [String: Double] = [:]
        var counts: [String: Double] = [:]
        var fallback = 3.0

        mutating func fit(_ pairs: [(String, Double)]) {
            for (text, score) in pairs {
                for word in contentWords(text) {
                    sums[word, default: 0] += score
                    counts[word, default: 0] += 1
                }
            }
            fallback = pairs.map(\.1).reduce(0, +) / Double(max(pairs.count, 1))
        }

        func predict(_ text: String) -> Double {
            let means = contentWords(text).compactMap { w in counts[w].map { (sums[w] ?? 0) / $0 } }
            return means.isEmpty ? fallback : means.reduce(0, +) / Double(means.count)
        }
    }

    func testRatings_PerUserOffset_BeatsGlobalModelOnMAE() throws {
        let data = try dataset(.productRating, seed: 21)
        var model = WordMeanModel()
        var pairs: [(String, Double)] = []
        var seenUsers = Set<String>()
        for question in data.trainQuestions where seenUsers.insert(question.userID ?? "").inserted {
            pairs += question.profile.map { ($0["text"], Double($0["score"]) ?? 3) }
        }
        model.fit(pairs)
        // global calibration of the shrunk word-mean model: least squares score ≈ a * f + b
        let fs = pairs.map { model.predict($0.0) }, ys = pairs.map(\.1)
        let fMean = fs.reduce(0, +) / Double(fs.count), yMean = ys.reduce(0, +) / Double(ys.count)
        let cov = zip(fs, ys).map { ($0 - fMean) * ($1 - yMean) }.reduce(0, +)
        let varF = fs.map { ($0 - fMean) * ($0 - fMean) }.reduce(0, +)
        let a = cov / varF, b = yMean - a * fMean
        let calibrated = { (text: String) in a * model.predict(text) + b }
        let clampRound = { (x: Double) in min(5, max(1, x.rounded())) }

        var globalError = 0.0, personalError = 0.0
        var offsets: [(estimated: Double, bias: Double)] = []
        for user in data.users.users where user.split == .dev {
            let mine = zip(data.devQuestions, data.devGolds).filter { $0.0.userID == user.userID }
            let profile = try XCTUnwrap(mine.first).0.profile
            let offset = profile.map { (Double($0["score"]) ?? 3) - calibrated($0["text"]) }.reduce(0, +)
                / Double(profile.count)
            offsets.append((offset, Double(user.rating?.bias ?? 0)))
            for (question, gold) in mine {
                let y = Double(gold.output) ?? 3
                let f = calibrated(itemText(ofInput: question.input))
                globalError += abs(clampRound(f) - y)
                personalError += abs(clampRound(f + offset) - y)
            }
        }
        let n = Double(data.devQuestions.count)
        print("LaMP_3 dev MAE: per-user offset \(personalError / n), global \(globalError / n)")
        XCTAssertLessThan(personalError / n, globalError / n - 0.2)
        // the estimated offset follows the latent bias
        let close = offsets.filter { abs($0.estimated - $0.bias) < 0.5 }.count
        XCTAssertGreaterThanOrEqual(Double(close), 0.75 * Double(offsets.count), "\(offsets)")
    }

    // MARK: - LaMP_4

    private struct ObservedStyle: Equatable {
        var casing: String
        var question: Bool
        var long: Bool
        var signature: String

        init(_ headline: String) {
            let letters = headline.filter(\.isLetter)
            casing = letters == letters.uppercased() ? "upper" : letters == letters.lowercased() ? "lower" : "title"
            question = headline.contains("?")
            long = headline.lowercased().contains(" amid ")
            let lower = headline.lowercased()
            signature = HeadlineStyle.Signature.allCases.first {
                $0 != .none && lower.contains($0.rawValue.lowercased())
            }?.rawValue ?? "none"
        }
    }

    func testHeadlines_ProfileStyle_PredictsGoldStyle() throws {
        let data = try dataset(.newsHeadline, seed: 31)
        let trainStyles = data.trainGolds.map { ObservedStyle($0.output) }
        let globalCasing = try XCTUnwrap(majority(trainStyles.map(\.casing)))
        let globalQuestion = try XCTUnwrap(majority(trainStyles.map { "\($0.question)" }))
        var hits = (casing: 0, question: 0, long: 0, signature: 0, globalCasing: 0, globalQuestion: 0)
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let seen = question.profile.map { ObservedStyle($0["title"]) }
            let truth = ObservedStyle(gold.output)
            if majority(seen.map(\.casing)) == truth.casing { hits.casing += 1 }
            if majority(seen.map { "\($0.question)" }) == "\(truth.question)" { hits.question += 1 }
            if majority(seen.map { "\($0.long)" }) == "\(truth.long)" { hits.long += 1 }
            if majority(seen.map(\.signature)) == truth.signature { hits.signature += 1 }
            if globalCasing == truth.casing { hits.globalCasing += 1 }
            if globalQuestion == "\(truth.question)" { hits.globalQuestion += 1 }
        }
        let n = Double(data.devQuestions.count)
        print("LaMP_4 dev style accuracy from profile: \(hits) of \(Int(n))")
        XCTAssertGreaterThan(Double(hits.casing) / n, 0.9)
        XCTAssertGreaterThan(Double(hits.question) / n, 0.9)
        XCTAssertGreaterThan(Double(hits.long) / n, 0.9)
        XCTAssertGreaterThan(Double(hits.signature) / n, 0.9)
        XCTAssertGreaterThan(Double(hits.casing - hits.globalCasing) / n, 0.3)
    }

    func testHeadlines_CoreWords_ComeFromTheArticle() throws {
        let data = try dataset(.newsHeadline, seed: 32)
        var covered = 0.0
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let article = contentWords(itemText(ofInput: question.input))
            let words = contentWords(gold.output).subtracting(["will", "amid", "breaking", "exclusive", "opinion",
                                                              "analysis", "know", "explainer"])
            // verbs appear in the base form in the article and conjugated in the headline
            let found = words.filter { w in article.contains(w) || article.contains(where: { w.hasPrefix($0) }) }
            covered += Double(found.count) / Double(max(words.count, 1))
        }
        XCTAssertGreaterThan(covered / Double(data.devQuestions.count), 0.95)
    }
}
