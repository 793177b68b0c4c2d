import XCTest

@testable import LaMP

/// Expected strings are written out by hand from HYDRA.md §2 and LaMP's prompts.py.
final class PromptTests: XCTestCase {
    private func item(_ fields: [String: String]) -> ProfileItem { ProfileItem(id: "i", fields: fields) }

    // MARK: - Queries and corpus texts

    func testQuery_EveryTask() {
        let cases: [(LaMPTask, String, String)] = [
            (.citation, "For an author who has written the paper with the title \"Deep nets\", which reference is related? Just answer with [1] or [2] without explanation. [1]: \"Graph cuts\" [2]: \"Neural codes\"", "Graph cuts Neural codes"),
            (.movieTag, "Which tag does this movie relate to among the following tags? tags: [comedy] description:  a robot\tlearns  ", "a robot\tlearns"),
            (.newsCategory, "Which category does this article relate to? categories: [women] article: storm: day 2", "storm: day 2"),
            (.productRating, "What is the score of the following review on a scale of 1 to 5? review: so good", "so good"),
            (.newsHeadline, "Generate a headline for the following article: markets fell", "markets fell"),
            (.scholarlyTitle, "Generate a title for the following abstract of a paper: we study x", "we study x"),
            (.emailSubject, "Generate a subject for the following email: hi: lunch?", "hi: lunch?"),
            (.tweetParaphrase, "Paraphrase the following tweet without any explanation before or after it: so tired", "so tired"),
        ]
        for (task, input, query) in cases {
            XCTAssertEqual(LaMPRetrievalText.query(task: task, input: input), query, task.rawValue)
        }
    }

    func testQuery_PythonStripAndFallbacks() {
        XCTAssertEqual(LaMPRetrievalText.query(task: .newsHeadline, input: "article:\u{3000}x y\u{A0}\u{1F}"), "x y")
        XCTAssertEqual(LaMPRetrievalText.query(task: .productRating, input: " no marker here "), "no marker here")
        XCTAssertEqual(LaMPRetrievalText.query(task: .citation, input: "title \"A\" and \"B\""), "B")
        XCTAssertEqual(LaMPRetrievalText.quotedStrings("a \"b\" c \"d e\" \"f"), ["b", "d e"])
    }

    func testCorpusText_EveryTask() {
        let full = item(["title": "T", "abstract": "A", "description": "D", "text": "X", "category": "C", "score": "5", "tag": "G"])
        let expected: [LaMPTask: String] = [
            .citation: "T A", .movieTag: "D", .newsCategory: "T X", .productRating: "X",
            .newsHeadline: "T X", .scholarlyTitle: "T A", .emailSubject: "X", .tweetParaphrase: "X",
        ]
        for task in LaMPTask.allCases {
            XCTAssertEqual(LaMPRetrievalText.corpusText(task: task, item: full), expected[task], task.rawValue)
        }
    }

    // MARK: - Token counter

    func testWhitespaceCounter_CountsAndCutsLikeStrSplit() {
        let counter = WhitespaceTokenCounter()
        XCTAssertEqual(counter.count("  a  b\tc\n"), 3)
        XCTAssertEqual(counter.count(""), 0)
        XCTAssertEqual(counter.count("x\u{2003}y"), 2)
        XCTAssertEqual(counter.prefix("  a  b c ", maxTokens: 2), "a  b")
        XCTAssertEqual(counter.prefix("a b", maxTokens: 2), "a b")
        XCTAssertEqual(counter.prefix("a b", maxTokens: 0), "")
    }

    // MARK: - Prompts, no truncation

    func testPrompt_EveryTaskTemplate() {
        let citationInput = "For an author who has written the paper with the title \"Deep nets\", which reference is related?"
        let cases: [(LaMPTask, [ProfileItem], String, String)] = [
            (.citation, [item(["title": "A B", "abstract": "x"]), item(["title": "C", "abstract": "y"])], citationInput,
             "For an author who has written the paper with the title, and \"A B\", and \"C\" \"Deep nets\", which reference is related?"),
            (.movieTag, [item(["description": "a robot", "tag": "sci-fi"]), item(["description": "two friends", "tag": "comedy"])], "IN",
             "the tag for the movie: \"a robot\" is \"sci-fi\" , and the tag for the movie: \"two friends\" is \"comedy\" . IN"),
            (.newsCategory, [item(["text": "goal", "title": "t", "category": "sports"])], "IN",
             "the category for the article: \"goal\" is \"sports\" . IN"),
            (.productRating, [item(["text": "great", "score": "4"]), item(["text": "bad", "score": "1"])], "IN",
             "4 is the score for \"great\" , and 1 is the score for \"bad\" . IN"),
            (.newsHeadline, [item(["text": "body text", "title": "Head"])], "IN", "\"Head\" is the title for \"body text\" . IN"),
            (.emailSubject, [item(["text": "see you", "title": "Lunch"])], "IN", "\"Lunch\" is the title for \"see you\" . IN"),
            (.scholarlyTitle, [item(["title": "T", "abstract": "we show"])], "IN",
             "\"T\" is a title for \"we show\" . Following the given patterns IN"),
            (.tweetParaphrase, [item(["text": "tweet one"]), item(["text": "tweet two"])], "IN",
             "\"tweet one\" , and \"tweet two\"  are written by a person. Following the given patterns IN"),
        ]
        for (task, items, input, expected) in cases {
            XCTAssertEqual(PromptBuilder(task: task).prompt(input: input, items: items), expected, task.rawValue)
        }
    }

    func testPrompt_NoItems_IsInputUnchanged() {
        for task in LaMPTask.allCases {
            XCTAssertEqual(PromptBuilder(task: task).prompt(input: "  keep me  ", items: []), "  keep me  ")
        }
    }

    func testPrompt_CitationWithoutTitleWord_IsInputUnchanged() {
        XCTAssertEqual(PromptBuilder(task: .citation).prompt(input: "no such word", items: [item(["title": "A"])]), "no such word")
    }

    // MARK: - Truncation

    private func words(_ prefix: String, _ n: Int) -> String {
        (1...n).map { "\(prefix)\($0)" }.joined(separator: " ")
    }

    /// maxTokens 40, input 2 tokens: budget 38, per item (38 - 1 - 2) // 2 = 17, fixed part
    /// `5 is the score for " " ` = 7 tokens. Item 1 uses 2 of its 10, saving 8; item 2 may
    /// then use 17 + 8 - 7 = 18 of its 20.
    func testTruncation_UnusedTokensCarryToLaterItems() {
        let builder = PromptBuilder(task: .productRating, maxTokens: 40)
        let items = [item(["score": "5", "text": "a b"]), item(["score": "1", "text": words("t", 20)])]
        XCTAssertEqual(
            builder.prompt(input: "review: good", items: items),
            "5 is the score for \"a b\" , and 1 is the score for \"\(words("t", 18))\" . review: good")
    }

    /// Without savings each item is cut to its own allowance (17 - 7 = 10), and the query stays.
    func testTruncation_EachItemCutToItsAllowance_QueryIntact() {
        let builder = PromptBuilder(task: .productRating, maxTokens: 40)
        let items = [item(["score": "5", "text": words("a", 12)]), item(["score": "1", "text": words("t", 20)])]
        XCTAssertEqual(
            builder.prompt(input: "review: good", items: items),
            "5 is the score for \"\(words("a", 10))\" , and 1 is the score for \"\(words("t", 10))\" . review: good")
    }

    /// maxTokens 20, a 15-token input: factors 0.6 … 0.2 leave budgets 8, 10, 12, 14, 16 and
    /// per-item allowances -5 … -1; factor 0.1 (int(2.0000000000000004) = 2) leaves budget 18,
    /// per item (18 - 3) // 2 = 7, allowance 0: empty texts, input intact.
    func testTruncation_FactorFallback() {
        let builder = PromptBuilder(task: .productRating, maxTokens: 20)
        let input = words("w", 15)
        let items = [item(["score": "5", "text": "x y"]), item(["score": "1", "text": "z"])]
        XCTAssertEqual(builder.prompt(input: input, items: items), "5 is the score for \"\" , and 1 is the score for \"\" . \(input)")
    }

    /// maxTokens 10 and three items of 7 fixed tokens never fit: the input comes back unchanged.
    func testTruncation_NothingFits_IsInputUnchanged() {
        let builder = PromptBuilder(task: .productRating, maxTokens: 10)
        let input = words("w", 15)
        let items = Array(repeating: item(["score": "5", "text": "x"]), count: 3)
        XCTAssertEqual(builder.prompt(input: input, items: items), input)
    }

    /// LaMP_1: 100 tokens, 20-token input: budget 80, per item (80 - 2) // 2 = 39, a title may
    /// use 39 - 2 = 37 tokens; the first uses 3 and leaves 34, so the second may use 71.
    func testTruncation_CitationTitles() {
        let builder = PromptBuilder(task: .citation, maxTokens: 100)
        let input = "the title " + words("w", 18)
        let items = [item(["title": "a b c"]), item(["title": words("t", 80)])]
        XCTAssertEqual(builder.prompt(input: input, items: items), "the title, and \"a b c\", and \"\(words("t", 71))\" " + words("w", 18))
    }

    /// A counter where every character is a token, to show the builder only uses the protocol.
    struct CharacterCounter: TokenCounter {
        func count(_ text: String) -> Int { text.count }
        func prefix(_ text: String, maxTokens: Int) -> String { String(text.prefix(max(0, maxTokens))) }
    }

    /// 60 tokens, input "IN" (2): budget 58; LaMP_7 reserves 1 + the 49 characters of
    /// "are written by user. Following the given patterns", so per item (58 - 50) // 1 = 8,
    /// fixed `"" ` = 3: the tweet keeps 5 characters.
    func testTruncation_PluggableCounter() {
        let builder = PromptBuilder(task: .tweetParaphrase, counter: CharacterCounter(), maxTokens: 60)
        XCTAssertEqual(
            builder.prompt(input: "IN", items: [item(["text": "abcdefgh"])]),
            "\"abcde\"  are written by a person. Following the given patterns IN")
    }
}
