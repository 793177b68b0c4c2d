/// LaMP_3 product reviews and the per-user rating bias.
///
/// **Latent preference.** Every review text expresses a sentiment *level* 1-5 through graded
/// phrases about the product's aspects ("the battery life is a complete disaster" … "the battery
/// life is absolutely outstanding") and a graded closing line. A user turns the level into a
/// score with their `bias` and `spread`: `score = clamp(round(level + bias + spread * N(0,1)), 1, 5)`.
/// Biases are -1 (harsh, 30%), 0 (30%), +1 (generous, 30%) and ±2 (5% each); spreads 0.2, 0.4 or
/// 0.6. So the same text gets different scores from different users, and the profile's score
/// history (text next to score) shows the user's offset. Levels are drawn mostly where
/// `level + bias` stays inside 1...5, so clamping rarely hides the bias.
enum ReviewGenerator {
    /// Draws a user's bias and spread, then their profile and question reviews.
    static func makeUser(profileCount: Int, questionCount: Int, rng: inout SplitMix64)
        -> (RatingPreference, GeneratedUser)
    {
        let roll = rng.unit()
        let bias = roll < 0.05 ? -2 : roll < 0.35 ? -1 : roll < 0.65 ? 0 : roll < 0.95 ? 1 : 2
        let preference = RatingPreference(bias: bias, spread: rng.pick([0.2, 0.4, 0.6]))
        var profile: [DemoRecord] = []
        for _ in 0..<profileCount { profile.append(review(preference: preference, rng: &rng)) }
        var questions: [DemoRecord] = []
        for _ in 0..<questionCount { questions.append(review(preference: preference, rng: &rng)) }
        return (preference, GeneratedUser(profile: profile, questions: questions))
    }

    /// One review and the user's score for it.
    static func review(preference: RatingPreference, rng: inout SplitMix64) -> DemoRecord {
        let level: Int
        let low = max(1, 1 - preference.bias), high = min(5, 5 - preference.bias)
        if low <= high && rng.chance(0.85) {
            level = rng.int(in: low...high)
        } else {
            level = rng.int(in: 1...5)
        }
        let text = write(level: level, rng: &rng)
        let raw = Double(level + preference.bias) + preference.spread * rng.normal()
        let score = min(5, max(1, Int(raw.rounded())))
        return DemoRecord(text: text, answer: String(score))
    }

    /// A 20-80 word review expressing `level` (1-5).
    static func write(level: Int, rng: inout SplitMix64) -> String {
        let product = rng.pick(products)
        let name = rng.pick(product.names)
        var sentences: [String] = []
        if rng.chance(0.6) {
            sentences.append("I bought this \(name) \(rng.pick(reasons)).")
        } else {
            sentences.append(rng.pick(openers[level - 1]).replacingOccurrences(of: "{p}", with: name))
        }
        let aspects = rng.sample(product.aspects, count: 2 + rng.below(2))
        for aspect in aspects {
            let jitter = rng.chance(0.25) ? (rng.chance(0.5) ? -1 : 1) : 0
            let aspectLevel = min(5, max(1, level + jitter))
            let phrase = rng.pick(aspectPhrases[aspectLevel - 1]).replacingOccurrences(of: "{a}", with: aspect)
            sentences.append(TextKit.capitalized(phrase))
        }
        if rng.chance(0.4) { sentences.append(rng.pick(neutralLines).replacingOccurrences(of: "{p}", with: name)) }
        sentences.append(rng.pick(closers[level - 1]))
        while TextKit.wordCount(sentences) < 20 {
            sentences.insert(rng.pick(neutralLines).replacingOccurrences(of: "{p}", with: name), at: 1)
        }
        while TextKit.wordCount(sentences) > 80 && sentences.count > 3 {
            sentences.remove(at: sentences.count - 2)
        }
        return TextKit.paragraph(sentences)
    }

    // MARK: - Vocabulary

    struct Product: Sendable {
        var names: [String]
        var aspects: [String]
    }

    static let products: [Product] = [
        Product(names: ["pair of wireless headphones", "noise cancelling headset", "pair of earbuds"],
                aspects: ["sound quality", "battery life", "ear cushion comfort", "bluetooth pairing", "bass"]),
        Product(names: ["blender", "smoothie blender", "countertop mixer"],
                aspects: ["motor power", "glass jar", "blade assembly", "noise level", "lid seal"]),
        Product(names: ["hiking backpack", "laptop backpack", "travel daypack"],
                aspects: ["shoulder straps", "zippers", "stitching", "water resistance", "pocket layout"]),
        Product(names: ["coffee maker", "espresso machine", "drip brewer"],
                aspects: ["brew temperature", "water reservoir", "milk frother", "carafe", "grinder"]),
        Product(names: ["phone case", "rugged phone cover", "slim silicone case"],
                aspects: ["drop protection", "button feel", "grip texture", "camera cutout", "overall fit"]),
        Product(names: ["pair of running shoes", "pair of trail sneakers", "pair of walking shoes"],
                aspects: ["cushioning", "arch support", "outsole traction", "sizing", "breathable mesh"]),
        Product(names: ["desk lamp", "LED reading light", "clamp lamp"],
                aspects: ["brightness", "color temperature", "dimmer switch", "flexible neck", "base stability"]),
        Product(names: ["cast iron skillet", "nonstick frying pan", "saucepan set"],
                aspects: ["nonstick coating", "heat distribution", "handle", "weight", "seasoning"]),
    ]

    static let reasons = [
        "for my daily commute", "as a birthday gift for my sister", "after reading a lot of reviews",
        "to replace an older model", "for our new apartment", "on sale last month", "for a weekend trip",
        "because my friend recommended it",
    ]

    /// Graded openers, level 1 first; `{p}` is the product.
    static let openers: [[String]] = [
        ["Honestly, this {p} is a waste of money.", "I regret buying this {p} at all."],
        ["This {p} was a letdown from day one.", "I expected much more from this {p}."],
        ["This {p} is a mixed bag.", "My feelings about this {p} are lukewarm."],
        ["This {p} turned out to be a good buy.", "I am pleased with this {p} so far."],
        ["This {p} is the best purchase I made this year!", "I absolutely adore this {p}!"],
    ]

    /// Graded aspect phrases, level 1 first; `{a}` is the aspect.
    static let aspectPhrases: [[String]] = [
        ["the {a} is a complete disaster.", "the {a} broke within two days.",
         "the {a} is awful and totally useless.", "I have never seen {a} this terrible."],
        ["the {a} is disappointing.", "the {a} feels cheap and flimsy.",
         "the {a} is below what I expected.", "the {a} is mediocre and annoying."],
        ["the {a} is okay, nothing special.", "the {a} is acceptable for the price.",
         "the {a} is average at best.", "the {a} is fine but forgettable."],
        ["the {a} works well.", "the {a} is solid and reliable.",
         "I am happy with the {a}.", "the {a} is better than I expected."],
        ["the {a} is absolutely outstanding.", "the {a} exceeded all my expectations.",
         "the {a} is flawless and superb.", "I love the {a}, it is perfect."],
    ]

    /// Graded closing lines, level 1 first.
    static let closers: [[String]] = [
        ["Avoid at all costs.", "Returning it immediately, would never recommend.", "Total junk."],
        ["I would not buy it again.", "Probably returning it.", "Not worth the money."],
        ["It does the job, I guess.", "Decent but unremarkable.", "Maybe worth it on sale."],
        ["Happy with the purchase.", "I would recommend it.", "Good value overall."],
        ["Highly recommend to everyone!", "Five stars, buy it now!", "Simply the best, love it!"],
    ]

    /// Sentences that carry no sentiment; `{p}` is the product.
    static let neutralLines = [
        "It arrived on time in plain packaging.", "I have used the {p} almost every day for a month.",
        "Setting it up took about ten minutes.", "The {p} came in a black color option.",
        "My partner uses it as well.", "The instructions were short and in several languages.",
    ]
}
