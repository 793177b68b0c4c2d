import Foundation
import TestSupport
import XCTest
@testable import Encoder

final class WordPieceTokenizerTests: XCTestCase {
    private func tiny(maxSequenceLength: Int = 256) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(tokens: TinyBertFixture.vocabulary, maxSequenceLength: maxSequenceLength)
    }

    private static let realVocabulary = ReferenceData.modelsDirectory
        .appendingPathComponent("all-MiniLM-L6-v2/vocab.txt")

    // MARK: - Tiny vocabulary

    func testGreedyLongestMatch_PrefersLongestPieceFirst() throws {
        let t = try tiny()
        // "una" beats "un", then "##ffable" beats "##aff" + "##able"
        XCTAssertEqual(t.tokens(of: t.encode("unaffable")), ["[CLS]", "una", "##ffable", "[SEP]"])
        XCTAssertEqual(t.tokens(of: t.encode("aaa")), ["[CLS]", "a", "##a", "##a", "[SEP]"])
    }

    func testUnmatchableWord_BecomesSingleUnknown() throws {
        let t = try tiny()
        XCTAssertEqual(t.tokens(of: t.encode("hello unaffablez world")), ["[CLS]", "hello", "[UNK]", "world", "[SEP]"])
    }

    func testEmptyAndInvisibleText_GivesClsSep() throws {
        let t = try tiny()
        XCTAssertEqual(t.encode(""), [t.classID, t.separatorID])
        XCTAssertEqual(t.encode(" \t\n\u{0}\u{200B}\u{FFFD}\u{0007} "), [t.classID, t.separatorID])
    }

    func testTruncation_KeepsClsAndSepWithinLimit() throws {
        let t = try tiny(maxSequenceLength: 6)
        XCTAssertEqual(t.tokens(of: t.encode("hello world hello world hello")), ["[CLS]", "hello", "world", "hello", "world", "[SEP]"])
        // truncation may cut inside a word's pieces, as HuggingFace does
        XCTAssertEqual(t.tokens(of: t.encode("hello world aaaa")), ["[CLS]", "hello", "world", "a", "##a", "[SEP]"])
    }

    func testVocabulary_DuplicateAndMissingSpecialTokens_Throw() {
        XCTAssertThrowsError(try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "x", "x"])) {
            XCTAssertEqual($0 as? EncoderError, .invalidVocabulary(path: "<memory>", line: 6, reason: "duplicate token 'x'"))
        }
        XCTAssertThrowsError(try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]"])) {
            XCTAssertEqual($0 as? EncoderError, .missingSpecialToken("[SEP]"))
        }
    }

    func testInvalidUTF8_ReplacedThenDropped() throws {
        let t = try tiny()
        let bytes = Data([0x68, 0x65, 0x6C, 0xFF, 0x6C, 0x6F, 0x20, 0xC3, 0x77, 0x6F, 0x72, 0x6C, 0x64])
        let text = WordPieceTokenizer.decodeText(bytes)
        XCTAssertTrue(text.unicodeScalars.contains("\u{FFFD}"))
        XCTAssertEqual(t.tokens(of: t.encode(text)), ["[CLS]", "hello", "world", "[SEP]"])
    }

    // MARK: - Real vocabulary

    func testRealVocab_AccentsCaseAndNormalisationForm_Agree() throws {
        let t = try WordPieceTokenizer(vocabularyURL: Self.realVocabulary)
        XCTAssertEqual(t.vocabularySize, 30522)
        XCTAssertEqual(t.encode("Café CRÈME"), t.encode("cafe creme"))
        XCTAssertEqual(t.encode("e\u{301}te\u{301}"), t.encode("\u{E9}t\u{E9}"))
    }

    func testRealVocab_PunctuationAndCJK_AreSplit() throws {
        let t = try WordPieceTokenizer(vocabularyURL: Self.realVocabulary)
        XCTAssertEqual(t.encode("hello,world!"), t.encode("hello , world !"))
        XCTAssertEqual(t.encode("我爱"), t.encode("我 爱"))
        XCTAssertEqual(t.encode("我爱").count, 4)
        XCTAssertEqual(t.encode("a\u{2028}b\u{00A0}c"), t.encode("a b c"))
    }

    func testRealVocab_WordOver100Characters_IsUnknown() throws {
        let t = try WordPieceTokenizer(vocabularyURL: Self.realVocabulary)
        XCTAssertEqual(t.encode(String(repeating: "a", count: 101)), [t.classID, t.unknownID, t.separatorID])
        XCTAssertFalse(t.encode(String(repeating: "a", count: 100)).contains(t.unknownID))
    }

    func testRealVocab_VeryLongText_TruncatesTo256() throws {
        let t = try WordPieceTokenizer(vocabularyURL: Self.realVocabulary)
        let ids = t.encode(Array(repeating: "hello world", count: 5000).joined(separator: " "))
        XCTAssertEqual(ids.count, 256)
        XCTAssertEqual(ids.first, t.classID)
        XCTAssertEqual(ids.last, t.separatorID)
    }
}
