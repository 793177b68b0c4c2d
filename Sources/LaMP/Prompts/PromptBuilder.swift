/// Builds LaMP's prompts with retrieved profile items, truncating each item so the prompt fits
/// a token budget (port of LaMP `prompts/prompts.py`: `create_*_prompt` and the `factor` loop of
/// `create_prompt_generator`).
///
/// Templates (items joined with `", and "`):
/// - LaMP_1: `"{title}"` per item, inserted after the first `title` in the input, preceded by `, and `.
/// - LaMP_2: `the tag for the movie: "{description}" is "{tag}" ` per item, then `. {input}`.
/// - LaMP_2N: `the category for the article: "{text}" is "{category}" `, then `. {input}`.
/// - LaMP_3: `{score} is the score for "{text}" `, then `. {input}`.
/// - LaMP_4, LaMP_6: `"{title}" is the title for "{text}" `, then `. {input}`.
/// - LaMP_5: `"{title}" is a title for "{abstract}" `, then `. Following the given patterns {input}`.
/// - LaMP_7: `"{text}" `, then ` are written by a person. Following the given patterns {input}`.
///
/// Truncation, as in the reference: the input is never cut. The items share
/// `budget = maxTokens - min(tokens(input), int(factor * maxTokens))` with `factor` = 0.6; each of
/// the `n` items gets `per = (budget - overhead - 2 * (n - 1)) // n` tokens, less the tokens of
/// its fixed part (the template with the truncated field replaced by a space; 2 for LaMP_1),
/// plus whatever earlier items left unused. Only the item's main text (the title for LaMP_1) is
/// cut. `overhead` is 1, plus the closing phrase for LaMP_5 and LaMP_7, and 0 for LaMP_1. The
/// reference retries with `factor` lowered by 0.1 while `factor >= 0` when a prompt cannot be
/// made; here that is when an item's allowance is negative. If no factor works, or there are no
/// items, the prompt is the input unchanged.
public struct PromptBuilder: Sendable {
    /// The task whose template is used.
    public let task: LaMPTask
    /// Counts and cuts tokens.
    public let counter: any TokenCounter
    /// The token budget of the whole prompt (LaMP's `max_length`, 512 by default there).
    public let maxTokens: Int

    /// - Parameters:
    ///   - task: the task whose template is used.
    ///   - counter: the tokenizer's counter (whitespace tokens by default).
    ///   - maxTokens: the token budget of the whole prompt.
    public init(task: LaMPTask, counter: any TokenCounter = WhitespaceTokenCounter(), maxTokens: Int = 512) {
        self.task = task
        self.counter = counter
        self.maxTokens = maxTokens
    }

    /// The prompt for `input` with `items` (in the order given, most relevant first).
    ///
    /// - Parameters:
    ///   - input: the question's input; kept intact.
    ///   - items: the retrieved profile items.
    /// - Returns: the prompt, or `input` unchanged when there are no items or nothing fits.
    public func prompt(input: String, items: [ProfileItem]) -> String {
        guard !items.isEmpty else { return input }
        let inputTokens = counter.count(input)
        var factor = 0.6
        while factor >= 0 {
            let budget = maxTokens - min(inputTokens, Int(factor * Double(maxTokens)))
            if let prompt = fit(input: input, items: items, budget: budget) { return prompt }
            factor -= 0.1
        }
        return input
    }

    /// The prompt with items cut to share `budget` tokens, or nil when an item's allowance is
    /// negative.
    func fit(input: String, items: [ProfileItem], budget: Int) -> String? {
        let n = items.count
        let perItem = floorDivide(budget - overhead - 2 * (n - 1), n)
        var saved = 0
        var parts: [String] = []
        for item in items {
            let fixed = fixedTokens(item)
            let allowance = perItem + saved - fixed
            guard allowance >= 0 else { return nil }
            let text = counter.prefix(item[cutField], maxTokens: allowance)
            saved += perItem - counter.count(text) - fixed
            parts.append(render(item, text))
        }
        return assemble(parts.joined(separator: ", and "), input)
    }

    // MARK: - Templates

    /// The field whose text is truncated.
    var cutField: String {
        switch task {
        case .citation: "title"
        case .movieTag: "description"
        case .newsCategory, .productRating, .newsHeadline, .emailSubject, .tweetParaphrase: "text"
        case .scholarlyTitle: "abstract"
        }
    }

    /// Tokens reserved once for the whole prompt besides the `", and "` separators.
    var overhead: Int {
        switch task {
        case .citation: 0
        case .movieTag, .newsCategory, .productRating, .newsHeadline, .emailSubject: 1
        case .scholarlyTitle: 1 + counter.count("Following the given patterns")
        // the reference counts this phrase, not the one it writes
        case .tweetParaphrase: 1 + counter.count("are written by user. Following the given patterns")
        }
    }

    /// Tokens of an item's fixed part, counted the way the reference does.
    func fixedTokens(_ item: ProfileItem) -> Int {
        switch task {
        case .citation: 2
        case .movieTag: counter.count("the tag for the movie: \" \" is \"\(item["tag"])\" ")
        case .newsCategory: counter.count("the category for the article: \" \" is \"\(item["category"])\" ")
        case .productRating: counter.count("\(item["score"]) is the score for \" \" ")
        case .newsHeadline, .emailSubject: counter.count("\"\(item["title"])\" is the title for \" \" ")
        // sic: the reference measures "is a title" without "for"
        case .scholarlyTitle: counter.count("\"\(item["title"])\" is a title \" \" ")
        case .tweetParaphrase: counter.count("\"\" ")
        }
    }

    /// One item's part of the prompt with its cut text.
    func render(_ item: ProfileItem, _ text: String) -> String {
        switch task {
        case .citation: "\"\(text)\""
        case .movieTag: "the tag for the movie: \"\(text)\" is \"\(item["tag"])\" "
        case .newsCategory: "the category for the article: \"\(text)\" is \"\(item["category"])\" "
        case .productRating: "\(item["score"]) is the score for \"\(text)\" "
        case .newsHeadline, .emailSubject: "\"\(item["title"])\" is the title for \"\(text)\" "
        case .scholarlyTitle: "\"\(item["title"])\" is a title for \"\(text)\" "
        case .tweetParaphrase: "\"\(text)\" "
        }
    }

    /// The joined items combined with the input.
    func assemble(_ joined: String, _ input: String) -> String {
        switch task {
        case .citation:
            // LaMP's add_string_after_title: after the first "title", or the input unchanged
            guard let at = PythonText.find("title", in: input) else { return input }
            let scalars = input.unicodeScalars
            let cut = scalars.index(at, offsetBy: 5)
            return String(scalars[..<cut]) + ", and " + joined + String(scalars[cut...])
        case .movieTag, .newsCategory, .productRating, .newsHeadline, .emailSubject:
            return joined + ". " + input
        case .scholarlyTitle:
            return joined + ". Following the given patterns " + input
        case .tweetParaphrase:
            return joined + " are written by a person. Following the given patterns " + input
        }
    }
}

/// Python's `a // b` (rounds toward negative infinity); `b > 0`.
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && a < 0) ? q - 1 : q
}
