/// One generated item before ids are assigned: its text and its answer for the user.
///
/// For LaMP_2 the text is the movie description and the answer the tag; for LaMP_3 the review
/// and the score; for LaMP_4 the article and the headline.
struct DemoRecord: Sendable, Hashable {
    var text: String
    var answer: String
}

/// One user's generated content.
struct GeneratedUser: Sendable {
    var profile: [DemoRecord]
    var questions: [DemoRecord]
}

/// LaMP_2 movies and the favourite-tag preference.
///
/// **Latent preference.** A user ranks all fifteen tags; the top two or three are their
/// favourite tags. Each movie is written from the word pools of one to three *plausible* tags
/// (20% one, 55% two, 25% three) in equal measure, so its text does not say which of them
/// matters most. With the user's `favouriteRate` (0.8) one of the plausible tags is a favourite
/// (users watch what they like). The user tags a movie with the plausible tag they rank highest;
/// with `noiseRate` they pick a random plausible tag instead. So the answer for an ambiguous
/// movie depends only on the user, and the profile items that show the user's choice on
/// similar ambiguous movies are the useful ones to retrieve.
enum MovieGenerator {
    /// Draws a user's preference, then their profile and question movies.
    static func makeUser(profileCount: Int, questionCount: Int, rng: inout SplitMix64)
        -> (MovieTagPreference, GeneratedUser)
    {
        let ranking = rng.shuffled(Array(0..<MovieVocabulary.all.count))
        let favourites = Array(ranking.prefix(rng.chance(0.5) ? 2 : 3))
        let preference = MovieTagPreference(
            favouriteTags: favourites.map { MovieVocabulary.all[$0].tag },
            tagRanking: ranking.map { MovieVocabulary.all[$0].tag },
            noiseRate: rng.pick([0.03, 0.06, 0.1]),
            favouriteRate: 0.8)
        var profile: [DemoRecord] = []
        for _ in 0..<profileCount {
            profile.append(movie(ranking: ranking, favourites: favourites, preference: preference, rng: &rng))
        }
        var questions: [DemoRecord] = []
        for _ in 0..<questionCount {
            questions.append(movie(ranking: ranking, favourites: favourites, preference: preference, rng: &rng))
        }
        return (preference, GeneratedUser(profile: profile, questions: questions))
    }

    /// One movie for a user: plausible tags, description, and the user's tag.
    static func movie(ranking: [Int], favourites: [Int], preference: MovieTagPreference, rng: inout SplitMix64)
        -> DemoRecord
    {
        let tags = plausibleTags(favourites: favourites, favouriteRate: preference.favouriteRate, rng: &rng)
        let text = describe(tags: tags, rng: &rng)
        let answer: Int
        if rng.chance(preference.noiseRate) {
            answer = rng.pick(tags)
        } else {
            answer = ranking.first { tags.contains($0) } ?? tags[0]
        }
        return DemoRecord(text: text, answer: MovieVocabulary.all[answer].tag)
    }

    /// One to three distinct tag indices in random order.
    static func plausibleTags(favourites: [Int], favouriteRate: Double, rng: inout SplitMix64) -> [Int] {
        let roll = rng.unit()
        let count = roll < 0.2 ? 1 : (roll < 0.75 ? 2 : 3)
        let all = Array(0..<MovieVocabulary.all.count)
        if rng.chance(favouriteRate) {
            let favourite = rng.pick(favourites)
            return rng.shuffled([favourite] + rng.sample(all.filter { $0 != favourite }, count: count - 1))
        }
        return rng.sample(all.filter { !favourites.contains($0) }, count: count)
    }

    /// A description of 20-80 words mixing the plausible tags' vocabularies: every tag leads
    /// at least one sentence, extra sentences are led by a random plausible tag, and each slot
    /// borrows from another plausible tag 20% of the time.
    static func describe(tags: [Int], rng: inout SplitMix64) -> String {
        let vocabularies = tags.map { MovieVocabulary.all[$0] }
        let sentenceCount = max(3, tags.count + 1) + (rng.chance(0.3) ? 1 : 0)
        var leads = Array(0..<tags.count)
        while leads.count < sentenceCount { leads.append(rng.below(tags.count)) }
        leads = [leads[0]] + rng.shuffled(Array(leads.dropFirst()))
        let middles = rng.shuffled(Array(0..<middleTemplateCount))
        var sentences: [String] = []
        var words = 0
        var filler = SlotFiller(vocabularies: vocabularies, lead: leads[0])
        let first = opener(rng.below(openerTemplateCount), filler, &rng)
        sentences.append(first)
        words += TextKit.wordCount(first)
        for (k, lead) in leads.dropFirst().enumerated() {
            filler.lead = lead
            let candidate = middle(middles[k % middles.count], filler, &rng)
            let candidateWords = TextKit.wordCount(candidate)
            if words + candidateWords > 80 { break }
            sentences.append(candidate)
            words += candidateWords
        }
        var k = sentences.count
        while words < 20 {
            let extra = middle(middles[k % middles.count], filler, &rng)
            sentences.append(extra)
            words += TextKit.wordCount(extra)
            k += 1
        }
        return TextKit.paragraph(sentences)
    }

    // MARK: - Sentence templates

    /// Draws words for one sentence, mostly from the lead tag's pools.
    struct SlotFiller {
        var vocabularies: [TagVocabulary]
        var lead: Int

        func vocabulary(_ rng: inout SplitMix64) -> TagVocabulary {
            rng.chance(0.2) ? rng.pick(vocabularies) : vocabularies[lead]
        }
        func place(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).places) }
        func role(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).roles) }
        func name(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).names) }
        func thing(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).things) }
        func verb(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).verbs) }
        func verbs(_ rng: inout SplitMix64) -> String { TextKit.thirdPerson(verb(&rng)) }
        func adjective(_ rng: inout SplitMix64) -> String { rng.pick(vocabulary(&rng).adjectives) }

        /// Two different draws of the same slot (a few retries; equal only if the pools are tiny).
        func two(_ rng: inout SplitMix64, _ draw: (inout SplitMix64) -> String) -> (String, String) {
            let first = draw(&rng)
            var second = draw(&rng)
            var tries = 0
            while second == first && tries < 8 {
                second = draw(&rng)
                tries += 1
            }
            return (first, second)
        }
    }

    static let openerTemplateCount = 4
    static let middleTemplateCount = 9

    /// A first sentence that introduces the protagonist.
    static func opener(_ k: Int, _ f: SlotFiller, _ r: inout SplitMix64) -> String {
        switch k {
        case 0:
            "In \(f.place(&r)), \(TextKit.article(f.role(&r))) named \(f.name(&r)) \(f.verbs(&r)) \(f.thing(&r))."
        case 1:
            "\(f.name(&r)), \(TextKit.article(f.adjective(&r))) \(f.role(&r)), must \(f.verb(&r)) "
                + "\(f.thing(&r)) before it is too late."
        case 2:
            "Set in \(f.place(&r)), this \(f.adjective(&r)) story follows \(TextKit.article(f.role(&r))) "
                + "who \(f.verbs(&r)) \(f.thing(&r))."
        default:
            "When \(f.thing(&r)) turns up in \(f.place(&r)), \(f.name(&r)) sets out to \(f.verb(&r)) it."
        }
    }

    /// A later sentence that develops the plot.
    static func middle(_ k: Int, _ f: SlotFiller, _ r: inout SplitMix64) -> String {
        let things = f.two(&r) { f.thing(&$0) }
        let places = f.two(&r) { f.place(&$0) }
        return switch k {
        case 0:
            "Along the way, \(f.name(&r)) meets \(TextKit.article(f.role(&r))) who \(f.verbs(&r)) \(f.thing(&r))."
        case 1:
            TextKit.capitalized(f.thing(&r)) + " changes everything for "
                + "\(TextKit.article(f.adjective(&r))) \(f.role(&r)) in \(f.place(&r))."
        case 2:
            "What begins as \(things.0) soon becomes \(TextKit.article(f.adjective(&r))) struggle to "
                + "\(f.verb(&r)) \(things.1)."
        case 3:
            "Years later, \(f.name(&r)) returns to \(f.place(&r)) to \(f.verb(&r)) \(f.thing(&r))."
        case 4:
            "Nothing is what it seems as \(f.name(&r)) begins to \(f.verb(&r)) \(f.thing(&r))."
        case 5:
            "\(f.name(&r)) and \(TextKit.article(f.role(&r))) team up to \(f.verb(&r)) \(f.thing(&r))."
        case 6:
            "The \(f.adjective(&r)) journey leads from \(places.0) to \(places.1)."
        case 7:
            "Soon \(f.name(&r)) discovers \(f.thing(&r)) hidden in \(f.place(&r))."
        default:
            TextKit.capitalized(TextKit.article(f.adjective(&r))) + " tale of \(things.0) and \(things.1)."
        }
    }
}
