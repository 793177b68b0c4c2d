import XCTest
@testable import LLM

final class TokenizerTests: XCTestCase {
    func testEncode_AllOracleCases_MatchLlamaCpp() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let reference = try Fixtures.reference("smollm2_tokenizer.json")
        let cases = try XCTUnwrap(reference["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.count, 13)
        for c in cases {
            let text = try XCTUnwrap(c["text"] as? String)
            let special = try XCTUnwrap(c["special"] as? Bool)
            let expected = try XCTUnwrap(c["ids"] as? [Int])
            let ids = tokenizer.encode(text, parseSpecial: special)
            XCTAssertEqual(ids, expected, "case \(c["label"] ?? "?")")
            XCTAssertEqual(tokenizer.decode(ids, renderSpecial: special), text, "round trip \(c["label"] ?? "?")")
        }
    }

    func testEndOfGenerationIDs_MatchReference() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let info = try XCTUnwrap(Fixtures.reference("smollm2_tokenizer.json")["model_info"] as? [String: Any])
        XCTAssertEqual(tokenizer.endOfGenerationIDs, Set(try XCTUnwrap(info["eog_ids"] as? [Int])))
    }

    func testEncode_SpecialTokensNotParsed_AreText() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let ids = tokenizer.encode("<|im_start|>", parseSpecial: false)
        XCTAssertFalse(ids.contains(1))
        XCTAssertGreaterThan(ids.count, 1)
        XCTAssertEqual(tokenizer.decode(ids), "<|im_start|>")
        XCTAssertEqual(tokenizer.encode("<|im_start|>", parseSpecial: true), [1])
    }

    func testEncode_DigitsSplitOnePerToken() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let ids = tokenizer.encode("12345")
        XCTAssertEqual(ids.count, 5)
        XCTAssertEqual(tokenizer.decode(ids), "12345")
    }

    func testRoundTrip_MixedUnicodeAndWhitespace() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        for text in ["  two  spaces\n\n\tand tabs ", "Grüße, 世界! don't I'll we've", "a\u{00A0}b\r\nc", "日本語のテキスト 123"] {
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text)), text)
        }
    }

    func testPreTokenizer_ASCIIFastPaths_AgreeWithUnicodeProperties() {
        for value in UInt32(0)..<128 {
            let scalar = Unicode.Scalar(value)!
            let category = scalar.properties.generalCategory
            XCTAssertEqual(PreTokenizer.isLetter(scalar),
                           [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter].contains(category))
            XCTAssertEqual(PreTokenizer.isNumber(scalar), [.decimalNumber, .letterNumber, .otherNumber].contains(category))
            XCTAssertEqual(PreTokenizer.isSpace(scalar), scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
        }
    }

    func testPreTokenizer_GPT2Contractions_AndSpaces() throws {
        let pre = try PreTokenizer(name: "smollm")
        XCTAssertEqual(pre.split("I'll go  now 42"), ["I", "'ll", " go", " ", " now", " ", "4", "2"])
        XCTAssertEqual(pre.split("a   "), ["a", "   "])
        XCTAssertThrowsError(try PreTokenizer(name: "qwen2"))
    }
}
