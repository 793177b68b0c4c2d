import LaMP
import XCTest

/// Each rule of `AnswerNormalizer` on answers of the kind SmolLM2 writes for LaMP_4 prompts, and
/// beside each a real-looking answer the rule must leave as it is.
final class AnswerNormalizerTests: XCTestCase {
    private let headline = AnswerNormalizer(task: .newsHeadline)

    private struct Row {
        let rule: String
        let raw: String
        let expected: String
    }

    private let table: [Row] = [
        // 1. lines: the first line that is not empty after cleaning
        Row(rule: "lines", raw: "Council approves transit budget\nThis headline captures the vote.", expected: "Council approves transit budget"),
        Row(rule: "lines: framing line skipped", raw: "Here is a headline for the article:\n\n\"Council Approves Transit Budget\"",
            expected: "Council Approves Transit Budget"),
        Row(rule: "lines: must not change", raw: "Council approves transit budget", expected: "Council approves transit budget"),
        // 2. courtesy
        Row(rule: "courtesy", raw: "Sure! Here's a headline: Novatek recalls smartphone amid data breach",
            expected: "Novatek recalls smartphone amid data breach"),
        Row(rule: "courtesy: must not change", raw: "Surely not: the league appeals transfer ban",
            expected: "Surely not: the league appeals transfer ban"),
        Row(rule: "courtesy: salutation line", raw: "Hi everyone,\n\nnet: fix use-after-free in tcp_close", expected: "net: fix use-after-free in tcp_close"),
        Row(rule: "courtesy: must not change", raw: "Hello Kitty turns 50", expected: "Hello Kitty turns 50"),
        // 3. label
        Row(rule: "label", raw: "The title for the article is: \"Central Bank Raises Interest Rates\"",
            expected: "Central Bank Raises Interest Rates"),
        Row(rule: "label: headline is", raw: "The headline for the article is: Wind farm approved in Riverton",
            expected: "Wind farm approved in Riverton"),
        Row(rule: "label: Title:", raw: "Title: Space agency postpones lunar probe", expected: "Space agency postpones lunar probe"),
        Row(rule: "label: after a sentence", raw: "This is a summary of the article. The headline is: \"Hospital network expands rural clinics\"",
            expected: "Hospital network expands rural clinics"),
        Row(rule: "label: before a quote", raw: "The headline would be \"School board scraps standardized tests\"",
            expected: "School board scraps standardized tests"),
        Row(rule: "label: must not change", raw: "Why the title is worth it for the Riverton Hawks",
            expected: "Why the title is worth it for the Riverton Hawks"),
        // 4. quoted span
        Row(rule: "quoted span", raw: "\"Mayor Dana Alvarez delays housing plan\" - a headline that sums it up",
            expected: "Mayor Dana Alvarez delays housing plan"),
        Row(rule: "quoted span: curly", raw: "“Utility company blocks carbon tax” captures the story.", expected: "Utility company blocks carbon tax"),
        Row(rule: "quoted span: must not change", raw: "Mayor calls housing plan \"reckless\"", expected: "Mayor calls housing plan \"reckless\""),
        // 5. template echo
        Row(rule: "template echo", raw: "\"Chipmaker Corvid unveils chip factory\" is the title for \"The latest version of the chip",
            expected: "Chipmaker Corvid unveils chip factory"),
        Row(rule: "template echo: quoted inside", raw: "The \"fix(net): refcount leak in sock_release\" is the title for \"Hi everyone, A customer",
            expected: "fix(net): refcount leak in sock_release"),
        Row(rule: "template echo: unquoted", raw: "Chipmaker Corvid unveils chip factory is the title for The latest version",
            expected: "Chipmaker Corvid unveils chip factory"),
        Row(rule: "template echo: must not change", raw: "Who holds the title for fastest chip in Riverton",
            expected: "Who holds the title for fastest chip in Riverton"),
        // 6. first sentence
        Row(rule: "first sentence", raw: "The education minister moved to fund standardized tests. Supporters say the plan will help",
            expected: "The education minister moved to fund standardized tests."),
        Row(rule: "first sentence: question", raw: "Will the league appeal the transfer ban? Fans are waiting for",
            expected: "Will the league appeal the transfer ban?"),
        Row(rule: "first sentence: must not change", raw: "Dr. Priya Nair funds rural clinics in St. Louis",
            expected: "Dr. Priya Nair funds rural clinics in St. Louis"),
        // 7. trim
        Row(rule: "trim", raw: "  \"Teachers union extends reading program  ", expected: "Teachers union extends reading program"),
        Row(rule: "trim: must not change", raw: "'Reckless' plan delayed, says council", expected: "'Reckless' plan delayed, says council"),
        // empty after cleaning
        Row(rule: "empty", raw: "Sure! Here is a headline for the article:", expected: ""),
        Row(rule: "empty: blank", raw: "  \n ", expected: ""),
    ]

    func testEveryRuleOnItsCaseAndItsMustNotChangeCase() {
        for row in table {
            XCTAssertEqual(headline.normalize(row.raw), row.expected, row.rule)
        }
    }

    func testEveryRuleHasACaseAndAMustNotChangeCase() {
        let rules = ["lines", "courtesy", "label", "quoted span", "template echo", "first sentence", "trim"]
        for rule in rules {
            let rows = table.filter { $0.rule == rule || $0.rule.hasPrefix(rule + ":") }
            XCTAssertTrue(rows.contains { !$0.rule.hasSuffix("must not change") && $0.raw != $0.expected }, rule)
            XCTAssertTrue(rows.contains { $0.rule.hasSuffix("must not change") && $0.raw == $0.expected }, rule)
        }
    }

    func testSwitchedOffOnlyTrimsWhitespace() {
        let raw = "  The title for the article is: \"Council approves budget\"\n"
        XCTAssertEqual(AnswerNormalizer(task: .newsHeadline, enabled: false).normalize(raw),
                       "The title for the article is: \"Council approves budget\"")
    }

    func testClassificationLabelsPassThrough() {
        XCTAssertEqual(AnswerNormalizer(task: .movieTag).normalize(" comedy "), "comedy")
        XCTAssertEqual(AnswerNormalizer(task: .productRating).normalize("Title: 4"), "Title: 4")
    }
}
