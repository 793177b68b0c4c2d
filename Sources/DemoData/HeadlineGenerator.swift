/// LaMP_4 news articles and the per-user headline style.
///
/// **Latent preference.** Articles are written from topic vocabularies around five key words:
/// a subject, a verb, an object, a place and a concern. A user's headline for an article applies
/// their `HeadlineStyle` to those key words: length (short: "Subject Verbs Object"; long: adds
/// "in Place amid Concern"), question form ("Will subject verb object?"), a signature phrase
/// (prefix "Breaking:", "Exclusive:", "Opinion:", "What we know:" or suffix "— analysis",
/// "| explainer", or none) and casing (Title Case, lower, UPPER). With `noiseRate` (0.05) one
/// headline breaks one attribute. Profile items (text, title) follow the same style, so the
/// history shows it. ROUGE lower-cases and drops punctuation, so casing is invisible to the
/// metric, but length, question form and signature words are not.
enum HeadlineGenerator {
    /// Draws a user's style, then their profile and question articles.
    static func makeUser(profileCount: Int, questionCount: Int, rng: inout SplitMix64)
        -> (HeadlineStyle, GeneratedUser)
    {
        let signatures = HeadlineStyle.Signature.allCases.filter { $0 != .none }
        let style = HeadlineStyle(
            length: rng.pick(HeadlineStyle.Length.allCases),
            casing: rng.pick(HeadlineStyle.Casing.allCases),
            questionForm: rng.chance(0.4),
            signature: rng.chance(0.25) ? .none : rng.pick(signatures),
            noiseRate: 0.05)
        var profile: [DemoRecord] = []
        for _ in 0..<profileCount { profile.append(article(style: style, rng: &rng)) }
        var questions: [DemoRecord] = []
        for _ in 0..<questionCount { questions.append(article(style: style, rng: &rng)) }
        return (style, GeneratedUser(profile: profile, questions: questions))
    }

    /// The key words an article is written around and its headline is made from.
    struct KeyWords: Sendable {
        var subject: String
        var verb: String
        var object: String
        var place: String
        var concern: String
    }

    /// One article and the user's headline for it.
    static func article(style: HeadlineStyle, rng: inout SplitMix64) -> DemoRecord {
        let topic = rng.pick(topics)
        let key = KeyWords(
            subject: rng.pick(topic.subjects), verb: rng.pick(topic.verbs), object: rng.pick(topic.objects),
            place: rng.pick(places), concern: rng.pick(topic.concerns))
        let text = write(key: key, topic: topic, rng: &rng)
        var applied = style
        if rng.chance(style.noiseRate) {
            switch rng.below(4) {
            case 0: applied.length = style.length == .short ? .long : .short
            case 1: applied.questionForm.toggle()
            case 2: applied.casing = rng.pick(HeadlineStyle.Casing.allCases.filter { $0 != style.casing })
            default: applied.signature = .none
            }
        }
        return DemoRecord(text: text, answer: headline(key: key, style: applied))
    }

    /// The headline for `key` in `style`.
    static func headline(key: KeyWords, style: HeadlineStyle) -> String {
        let subject = key.subject.hasPrefix("the ") ? String(key.subject.dropFirst(4)) : key.subject
        var core = style.questionForm
            ? "will \(subject) \(key.verb) \(key.object)"
            : "\(subject) \(TextKit.thirdPerson(key.verb)) \(key.object)"
        if style.length == .long { core += " in \(key.place) amid \(key.concern)" }
        if style.questionForm { core += "?" }
        if style.signature != .none {
            core = style.signature.isPrefix
                ? style.signature.rawValue + " " + core : core + " " + style.signature.rawValue
        }
        switch style.casing {
        case .title: return TextKit.titleCased(core)
        case .lower: return core.lowercased()
        case .upper: return core.uppercased()
        }
    }

    /// A 20-80 word article around the key words.
    static func write(key: KeyWords, topic: Topic, rng: inout SplitMix64) -> String {
        let subject = TextKit.capitalized(key.subject)
        var sentences = [
            rng.chance(0.5)
                ? "\(subject) moved on \(rng.pick(days)) to \(key.verb) the \(key.object) in \(key.place), "
                    + "amid \(key.concern)."
                : "In \(key.place), \(key.subject) decided on \(rng.pick(days)) to \(key.verb) the \(key.object) "
                    + "despite \(key.concern)."
        ]
        var extra = rng.shuffled([0, 1, 2, 3])
        extra = Array(extra.prefix(2 + rng.below(2)))
        for k in extra {
            switch k {
            case 0:
                sentences.append(
                    "Supporters say the \(rng.pick(topic.objects)) will \(rng.pick(topic.benefits)), "
                        + "while critics point to \(rng.pick(topic.concerns)).")
            case 1:
                sentences.append(
                    "\(rng.pick(names)), \(TextKit.article(rng.pick(topic.roles))), called the decision "
                        + "\(rng.pick(adjectives)) and said more talks were planned.")
            case 2:
                sentences.append("The move follows months of debate over \(rng.pick(topic.concerns)).")
            default:
                sentences.append("A final vote on the \(key.object) is expected \(rng.pick(whens)).")
            }
        }
        while TextKit.wordCount(sentences) > 80 && sentences.count > 2 { sentences.removeLast() }
        if TextKit.wordCount(sentences) < 20 {
            sentences.append("A final vote on the \(key.object) is expected \(rng.pick(whens)).")
        }
        return TextKit.paragraph(sentences)
    }

    // MARK: - Vocabulary

    struct Topic: Sendable {
        var subjects: [String]
        var verbs: [String]
        var objects: [String]
        var concerns: [String]
        var benefits: [String]
        var roles: [String]
    }

    static let topics: [Topic] = [
        Topic(subjects: ["the city council", "Mayor Dana Alvarez", "the county board", "the state legislature"],
              verbs: ["approve", "reject", "delay", "expand", "overhaul"],
              objects: ["transit budget", "housing plan", "zoning reform", "parking tax", "police budget"],
              concerns: ["rising rents", "voter anger", "a budget shortfall", "a corruption probe"],
              benefits: ["ease traffic", "lower rents", "fund new bus lines"],
              roles: ["council member", "local activist", "city planner"]),
        Topic(subjects: ["the central bank", "the finance ministry", "Acme Motors", "the national retailer"],
              verbs: ["raise", "cut", "freeze", "restructure", "announce"],
              objects: ["interest rates", "fuel subsidies", "factory jobs", "quarterly dividend", "pension fund"],
              concerns: ["stubborn inflation", "slowing growth", "record layoffs", "a weak currency"],
              benefits: ["calm markets", "protect savers", "boost hiring"],
              roles: ["chief economist", "market analyst", "union leader"]),
        Topic(subjects: ["the tech giant Novatek", "the app maker Bluefin", "the chipmaker Corvid", "the trade regulator"],
              verbs: ["launch", "recall", "acquire", "ban", "unveil"],
              objects: ["smartphone", "chatbot service", "data center", "privacy policy", "chip factory"],
              concerns: ["a data breach", "antitrust scrutiny", "a chip shortage", "security flaws"],
              benefits: ["speed up networks", "protect user data", "create engineering jobs"],
              roles: ["software engineer", "privacy advocate", "industry analyst"]),
        Topic(subjects: ["the health ministry", "the hospital network", "the drug regulator", "Dr. Priya Nair"],
              verbs: ["approve", "expand", "suspend", "fund", "review"],
              objects: ["flu vaccine", "cancer screening program", "rural clinics", "nurse hiring plan",
                        "drug trial"],
              concerns: ["a measles outbreak", "staff shortages", "long waiting lists", "rising drug prices"],
              benefits: ["shorten waiting lists", "save lives", "reach rural patients"],
              roles: ["epidemiologist", "nurse", "patient advocate"]),
        Topic(subjects: ["the national team", "coach Marta Ruiz", "the league", "the Riverton Hawks"],
              verbs: ["sign", "sack", "suspend", "clinch", "appeal"],
              objects: ["star striker", "championship title", "stadium deal", "transfer ban", "head coach"],
              concerns: ["a losing streak", "a doping scandal", "injury worries", "fan protests"],
              benefits: ["fill the stadium", "win the title", "develop young players"],
              roles: ["team captain", "sports commentator", "club owner"]),
        Topic(subjects: ["the environment agency", "the energy minister", "the utility company",
                         "the climate summit"],
              verbs: ["phase out", "approve", "block", "subsidize", "expand"],
              objects: ["coal plants", "wind farm", "carbon tax", "flood defenses", "solar program"],
              concerns: ["record heat", "severe flooding", "wildfire smoke", "soaring energy bills"],
              benefits: ["cut emissions", "lower energy bills", "protect coastal towns"],
              roles: ["climate scientist", "energy analyst", "farmer"]),
        Topic(subjects: ["the space agency", "the university lab", "the national observatory",
                         "the science council"],
              verbs: ["launch", "publish", "fund", "discover", "postpone"],
              objects: ["lunar probe", "telescope upgrade", "genome study", "fusion experiment", "Mars mission"],
              concerns: ["budget cuts", "a failed test", "a rocket delay", "peer review doubts"],
              benefits: ["answer old questions", "train young scientists", "map distant planets"],
              roles: ["astrophysicist", "lab director", "science journalist"]),
        Topic(subjects: ["the school board", "the education minister", "the teachers union", "the university"],
              verbs: ["raise", "scrap", "reform", "extend", "fund"],
              objects: ["tuition fees", "standardized tests", "school lunches", "teacher salaries",
                        "reading program"],
              concerns: ["falling test scores", "a teacher strike", "overcrowded classrooms", "student debt"],
              benefits: ["help struggling pupils", "keep teachers", "cut class sizes"],
              roles: ["head teacher", "parent", "education researcher"]),
    ]

    static let places = [
        "Riverton", "Lakeside County", "the capital", "Northbridge", "Port Alder", "the eastern provinces",
        "Greenfield", "Harbor City",
    ]
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    static let names = ["Laura Chen", "Omar Haddad", "Grace Okafor", "Peter Lindqvist", "Sofia Marin", "Ben Adler"]
    static let adjectives = ["overdue", "reckless", "historic", "premature", "a sensible compromise", "deeply flawed"]
    static let whens = ["next month", "before the summer", "within weeks", "by the end of the year"]
}
