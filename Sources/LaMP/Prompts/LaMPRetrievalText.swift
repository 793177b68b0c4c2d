/// The BM25 query and corpus texts per task, as LaMP's reference makes them
/// (LaMP `prompts/prompts.py`, the `*_query_corpus_maker` functions, and `prompts/utils.py`).
///
/// | task | query | corpus item |
/// | --- | --- | --- |
/// | LaMP_1 | 2nd and 3rd double-quoted strings, joined by a space | `title abstract` |
/// | LaMP_2 | text after `description:` | `description` |
/// | LaMP_2N | text after `article:` | `title text` |
/// | LaMP_3 | text after `review:` | `text` |
/// | LaMP_4 | text after `article:` | `title text` |
/// | LaMP_5 | text after `paper:` | `title abstract` |
/// | LaMP_6, LaMP_7 | text after the first `:` | `text` |
///
/// "Text after" is Python's `s[s.find(marker) + len(marker):].strip()`. Where the reference would
/// fail (the marker is missing, or LaMP_1 has fewer than three quoted strings) we fall back to
/// what is there: the whole input stripped, or the quoted strings after the first.
public enum LaMPRetrievalText {
    /// The BM25 query for a question's input.
    ///
    /// - Parameters:
    ///   - task: the LaMP task.
    ///   - input: the question's `input` text.
    /// - Returns: the query text (to be split on whitespace by the BM25 tokenizer).
    public static func query(task: LaMPTask, input: String) -> String {
        switch task {
        case .citation:
            let quoted = quotedStrings(input)
            if quoted.count >= 3 { return quoted[1] + " " + quoted[2] }
            if quoted.count == 2 { return quoted[1] }
            return PythonText.strip(input)
        case .movieTag: return after("description:", input)
        case .newsCategory, .newsHeadline: return after("article:", input)
        case .productRating: return after("review:", input)
        case .scholarlyTitle: return after("paper:", input)
        case .emailSubject, .tweetParaphrase: return after(":", input)
        }
    }

    /// The text BM25 indexes for one profile item.
    ///
    /// - Parameters:
    ///   - task: the LaMP task.
    ///   - item: a profile item of that task.
    /// - Returns: the corpus text; a missing field counts as the empty string.
    public static func corpusText(task: LaMPTask, item: ProfileItem) -> String {
        switch task {
        case .citation, .scholarlyTitle: item["title"] + " " + item["abstract"]
        case .movieTag: item["description"]
        case .newsCategory, .newsHeadline: item["title"] + " " + item["text"]
        case .productRating, .emailSubject, .tweetParaphrase: item["text"]
        }
    }

    /// The strings between pairs of double quotes, in order (LaMP's
    /// `extract_strings_between_quotes`: quotes toggle, no escapes).
    public static func quotedStrings(_ text: String) -> [String] {
        var found: [String] = []
        var current = String.UnicodeScalarView()
        var inside = false
        for s in text.unicodeScalars {
            if s == "\"" {
                if inside { found.append(String(current)) }
                current = String.UnicodeScalarView()
                inside.toggle()
            } else if inside {
                current.append(s)
            }
        }
        return found
    }

    private static func after(_ marker: String, _ input: String) -> String {
        PythonText.stripped(after: marker, in: input) ?? PythonText.strip(input)
    }
}
