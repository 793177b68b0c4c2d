/// One of the LaMP benchmark tasks, named as LaMP names them.
///
/// `LaMP_2N` is the older news-category version of LaMP_2; the current LaMP_2 is movie tags.
public enum LaMPTask: String, CaseIterable, Codable, Sendable {
    case citation = "LaMP_1"
    case movieTag = "LaMP_2"
    case newsCategory = "LaMP_2N"
    case productRating = "LaMP_3"
    case newsHeadline = "LaMP_4"
    case scholarlyTitle = "LaMP_5"
    case emailSubject = "LaMP_6"
    case tweetParaphrase = "LaMP_7"

    /// How answers are compared, which decides both the metric and how HYDRA labels examples.
    public enum Family: String, Sendable {
        /// A fixed label list; accuracy and macro-F1.
        case classification
        /// A 1-5 score; MAE and RMSE.
        case rating
        /// Free text; ROUGE-1 and ROUGE-L.
        case generation
    }

    /// The task's family.
    public var family: Family {
        switch self {
        case .citation, .movieTag, .newsCategory: .classification
        case .productRating: .rating
        case .newsHeadline, .scholarlyTitle, .emailSubject, .tweetParaphrase: .generation
        }
    }

    /// The answer labels in LaMP's order (the evaluator maps answers to these indices), or nil for
    /// free-text tasks.
    public var labels: [String]? {
        switch self {
        case .citation: ["[1]", "[2]"]
        case .movieTag:
            [
                "sci-fi", "based on a book", "comedy", "action", "twist ending", "dystopia",
                "dark comedy", "classic", "psychology", "fantasy", "romance", "thought-provoking",
                "social commentary", "violence", "true story",
            ]
        case .newsCategory:
            [
                "women", "religion", "politics", "style & beauty", "entertainment", "culture & arts",
                "sports", "science & technology", "travel", "business", "crime", "education",
                "healthy living", "parents", "food & drink",
            ]
        case .productRating: ["1", "2", "3", "4", "5"]
        case .newsHeadline, .scholarlyTitle, .emailSubject, .tweetParaphrase: nil
        }
    }

    /// The profile fields every item of this task must carry (besides `id`).
    public var profileFields: [String] {
        switch self {
        case .citation: ["title", "abstract"]
        case .movieTag: ["description", "tag"]
        case .newsCategory: ["text", "title", "category"]
        case .productRating: ["text", "score"]
        case .newsHeadline: ["text", "title"]
        case .scholarlyTitle: ["title", "abstract"]
        case .emailSubject: ["text", "title"]
        case .tweetParaphrase: ["text"]
        }
    }

    /// The profile field that holds the item's known answer, which makes it usable as a
    /// pseudo-query (nil for LaMP_1 and LaMP_7, whose items carry no answer of the task's kind).
    public var answerField: String? {
        switch self {
        case .citation, .tweetParaphrase: nil
        case .movieTag: "tag"
        case .newsCategory: "category"
        case .productRating: "score"
        case .newsHeadline, .scholarlyTitle, .emailSubject: "title"
        }
    }

    /// Parses a task name, accepting `LaMP_2`, `lamp_2`, `lamp2` or `2` (and `2N` for news).
    public init?(name: String) {
        let compact = name.lowercased().replacing("_", with: "")
            .replacing("lamp", with: "")
        guard let match = LaMPTask.allCases.first(where: {
            $0.rawValue.lowercased().replacing("lamp_", with: "") == compact
        }) else { return nil }
        self = match
    }
}
