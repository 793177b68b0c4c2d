import Foundation
import LaMP

/// The contents of `demo_users.json`: every synthetic user's latent preference, written beside
/// the LaMP files (never inside them) so the workbench can check whether a head recovered it.
///
/// Keys are snake_case. `field_docs` explains every preference field in plain words, so the file
/// documents itself. Exactly one of `movie_tags`, `rating` and `headline` is set per user,
/// matching `task`.
public struct DemoUsersFile: Codable, Sendable, Hashable {
    /// Format tag, `hydra-demo-users/1`.
    public var format: String
    /// The spec the dataset was generated from.
    public var spec: DemoSpec
    /// Plain-language documentation of the preference fields, keyed by field name.
    public var fieldDocs: [String: String]
    /// The users in file order: train users first, then dev users.
    public var users: [DemoUser]

    /// The current format tag.
    public static let currentFormat = "hydra-demo-users/1"

    /// Creates a users file for `spec`, with the field documentation of its task.
    public init(spec: DemoSpec, users: [DemoUser]) {
        self.format = DemoUsersFile.currentFormat
        self.spec = spec
        self.fieldDocs = DemoUsersFile.documentation(for: spec.task)
        self.users = users
    }

    private enum CodingKeys: String, CodingKey {
        case format, spec, users
        case fieldDocs = "field_docs"
    }

    /// Reads and decodes a `demo_users.json`.
    /// - Throws: `DemoError.unreadableUsersFile` with the path and the decoder's reason.
    public static func read(from url: URL) throws -> DemoUsersFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DemoError.unreadableUsersFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            let file = try JSONDecoder().decode(DemoUsersFile.self, from: data)
            guard file.format == currentFormat else {
                throw DemoError.unreadableUsersFile(
                    path: url.path, reason: "format '\(file.format)', expected '\(currentFormat)'")
            }
            return file
        } catch let error as DemoError {
            throw error
        } catch {
            throw DemoError.unreadableUsersFile(path: url.path, reason: "\(error)")
        }
    }

    /// The file's bytes: pretty-printed JSON with sorted keys, so equal files are byte-identical.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Writes the file atomically.
    /// - Throws: `DemoError.cannotWrite` naming the path.
    public func write(to url: URL) throws {
        do { try encoded().write(to: url, options: .atomic) } catch {
            throw DemoError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The plain-language meaning of each preference field of `task`.
    public static func documentation(for task: LaMPTask) -> [String: String] {
        var docs = [
            "user_id": "the user's id, equal to the user_id field of the user's LaMP questions",
            "split": "train or dev: LaMP's user-based split, a user is in exactly one",
            "profile_size": "number of history items in the user's profile",
            "question_ids": "ids of the user's questions in {split}_questions.json",
        ]
        switch task {
        case .movieTag:
            docs["movie_tags.tag_ranking"] =
                "all fifteen tags in the user's order of preference. Movies are written in equal measure "
                + "from the word pools of one to three plausible tags; the user tags a movie with the "
                + "plausible tag they rank highest"
            docs["movie_tags.favourite_tags"] =
                "the top two or three tags of tag_ranking; most of the user's movies include one of them"
            docs["movie_tags.noise_rate"] =
                "probability that the user instead picks a uniformly random plausible tag"
            docs["movie_tags.favourite_rate"] =
                "probability that a movie of this user has one of the favourites among its plausible tags"
        case .productRating:
            docs["rating.bias"] =
                "added to the sentiment level the review text expresses (1-5) before rounding: "
                + "-1 is a harsh user, +1 a generous one"
            docs["rating.spread"] =
                "standard deviation of the Gaussian noise added to the level; the score is "
                + "round(level + bias + spread * N(0,1)) clamped to 1...5"
        case .newsHeadline:
            docs["headline.length"] =
                "short: subject, verb and object of the article; long: also 'in <place> amid <concern>'"
            docs["headline.casing"] = "title (Title Case), lower (all lower case) or upper (ALL UPPER CASE)"
            docs["headline.question_form"] =
                "true: the headline is a question 'Will <subject> <verb> <object>?'"
            docs["headline.signature"] =
                "a phrase the user always adds: none, or a prefix (Breaking:, Exclusive:, Opinion:, "
                + "What we know:) or a suffix (— analysis, | explainer)"
            docs["headline.noise_rate"] =
                "probability that one headline breaks one style attribute (chosen at random)"
        case .emailSubject:
            docs["subject_line.style"] =
                "the user's subject convention for a change (action + target in an area): area_colon "
                + "'net: fix use-after-free in tcp_close'; severity_tag 'BUG/MINOR: net: fix …' (BUG/MAJOR crash "
                + "fixes, BUG/MINOR other fixes, MINOR additions, MEDIUM speed-ups and refactors, CLEANUP "
                + "removals, DOC documentation); imperative 'Fix use-after-free in tcp_close'; ticket "
                + "'[KRN-1234] Fix …' with the ticket id written in the email; conventional "
                + "'fix(net): use-after-free in tcp_close' (feat, perf, refactor, docs); past_tense "
                + "'Fixed use-after-free in tcp_close (net)'"
            docs["subject_line.project"] = "kernel, proxy or webapp: the areas and vocabulary of the user's emails"
            docs["subject_line.ticket_prefix"] = "the prefix of the project's ticket ids (KRN, LB, WEB)"
            docs["subject_line.noise_rate"] =
                "probability that one subject drops the convention for a plain 'fix use-after-free in tcp_close'"
        default:
            break
        }
        return docs
    }
}

/// One synthetic user and their latent preference.
public struct DemoUser: Codable, Sendable, Hashable {
    /// The user's id, as in the questions' `user_id` field.
    public var userID: String
    /// The split the user's questions are in.
    public var split: Split
    /// Number of items in the user's profile.
    public var profileSize: Int
    /// The ids of the user's questions.
    public var questionIDs: [String]
    /// LaMP_2: the tag preference.
    public var movieTags: MovieTagPreference?
    /// LaMP_3: the rating behaviour.
    public var rating: RatingPreference?
    /// LaMP_4: the headline style.
    public var headline: HeadlineStyle?
    /// LaMP_6: the subject line convention.
    public var subjectLine: SubjectLineConvention?

    /// Creates a user record.
    public init(
        userID: String, split: Split, profileSize: Int, questionIDs: [String],
        movieTags: MovieTagPreference? = nil, rating: RatingPreference? = nil,
        headline: HeadlineStyle? = nil, subjectLine: SubjectLineConvention? = nil
    ) {
        self.subjectLine = subjectLine
        self.userID = userID
        self.split = split
        self.profileSize = profileSize
        self.questionIDs = questionIDs
        self.movieTags = movieTags
        self.rating = rating
        self.headline = headline
    }

    private enum CodingKeys: String, CodingKey {
        case split, rating, headline
        case userID = "user_id"
        case profileSize = "profile_size"
        case questionIDs = "question_ids"
        case movieTags = "movie_tags"
        case subjectLine = "subject_line"
    }
}

/// LaMP_6: how a user writes the subject line of a technical email (see `SubjectLineGenerator`).
public struct SubjectLineConvention: Codable, Sendable, Hashable {
    public enum Style: String, Codable, Sendable, CaseIterable {
        case areaColon = "area_colon"
        case severityTag = "severity_tag"
        case imperative
        case ticket
        case conventional
        case pastTense = "past_tense"
        /// No convention: what a noisy subject falls back to (never a user's own style).
        case plain

        public static var allCases: [Style] { [.areaColon, .severityTag, .imperative, .ticket, .conventional, .pastTense] }
    }

    public var style: Style
    /// The project the user works on (its areas and vocabulary).
    public var project: String
    public var ticketPrefix: String
    /// Probability that one subject drops the convention.
    public var noiseRate: Double

    public init(style: Style, project: String, ticketPrefix: String, noiseRate: Double) {
        self.style = style
        self.project = project
        self.ticketPrefix = ticketPrefix
        self.noiseRate = noiseRate
    }

    private enum CodingKeys: String, CodingKey {
        case style, project
        case ticketPrefix = "ticket_prefix"
        case noiseRate = "noise_rate"
    }
}

/// LaMP_2: which tag a user applies to a movie that fits several.
public struct MovieTagPreference: Codable, Sendable, Hashable {
    /// Favourite tags, most favourite first (LaMP_2 label strings): the top of `tagRanking`.
    public var favouriteTags: [String]
    /// All fifteen tags in the user's order of preference, most preferred first.
    public var tagRanking: [String]
    /// Probability of a uniformly random plausible tag instead of the rule's answer.
    public var noiseRate: Double
    /// Probability that a movie in this user's history or questions includes a favourite.
    public var favouriteRate: Double

    /// Creates a tag preference.
    public init(favouriteTags: [String], tagRanking: [String], noiseRate: Double, favouriteRate: Double) {
        self.favouriteTags = favouriteTags
        self.tagRanking = tagRanking
        self.noiseRate = noiseRate
        self.favouriteRate = favouriteRate
    }

    private enum CodingKeys: String, CodingKey {
        case favouriteTags = "favourite_tags"
        case tagRanking = "tag_ranking"
        case noiseRate = "noise_rate"
        case favouriteRate = "favourite_rate"
    }
}

/// LaMP_3: how a user turns the sentiment a review expresses into a score.
public struct RatingPreference: Codable, Sendable, Hashable {
    /// Added to the text's sentiment level (-1 harsh, 0 neutral, +1 generous; rarely ±2).
    public var bias: Int
    /// Standard deviation of the Gaussian noise on the level before rounding.
    public var spread: Double

    /// Creates a rating preference.
    public init(bias: Int, spread: Double) {
        self.bias = bias
        self.spread = spread
    }
}

/// LaMP_4: how a user writes headlines.
public struct HeadlineStyle: Codable, Sendable, Hashable {
    /// Headline length.
    public enum Length: String, Codable, Sendable, CaseIterable { case short, long }
    /// Letter case of the whole headline.
    public enum Casing: String, Codable, Sendable, CaseIterable { case title, lower, upper }
    /// A phrase the user adds to every headline.
    public enum Signature: String, Codable, Sendable, CaseIterable {
        case none
        case breaking = "Breaking:"
        case exclusive = "Exclusive:"
        case opinion = "Opinion:"
        case analysis = "— analysis"
        case whatWeKnow = "What we know:"
        case explainer = "| explainer"

        /// True for phrases placed before the headline, false for those placed after it.
        public var isPrefix: Bool { self != .none && self != .analysis && self != .explainer }
    }

    /// Short or long.
    public var length: Length
    /// Title Case, lower or UPPER.
    public var casing: Casing
    /// Whether headlines are questions.
    public var questionForm: Bool
    /// The signature phrase (`none` for no phrase).
    public var signature: Signature
    /// Probability that one headline breaks one style attribute.
    public var noiseRate: Double

    /// Creates a headline style.
    public init(length: Length, casing: Casing, questionForm: Bool, signature: Signature, noiseRate: Double) {
        self.length = length
        self.casing = casing
        self.questionForm = questionForm
        self.signature = signature
        self.noiseRate = noiseRate
    }

    private enum CodingKeys: String, CodingKey {
        case length, casing, signature
        case questionForm = "question_form"
        case noiseRate = "noise_rate"
    }
}
