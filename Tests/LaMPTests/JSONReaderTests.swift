import Foundation
import XCTest

@testable import LaMP

final class JSONReaderTests: XCTestCase {
    private func reader(_ text: String) -> JSONByteReader {
        JSONByteReader(bytes: Array(text.utf8), name: "mem.json")
    }

    // MARK: - Values

    func testString_UnicodeEscapes_DecodeSurrogatePairs() throws {
        let r = reader(#""caf\u00e9 \ud83d\ude00 \u4E2D""#)
        XCTAssertEqual(try r.readString(), "café 😀 中")
        XCTAssertNoThrow(try r.finish())
    }

    func testString_SimpleEscapes_Decode() throws {
        let r = reader(#""q\" b\\ s\/ \b\f\n\r\t end""#)
        XCTAssertEqual(try r.readString(), "q\" b\\ s/ \u{8}\u{C}\n\r\t end")
    }

    func testString_LoneSurrogates_BecomeReplacementCharacter() throws {
        XCTAssertEqual(try reader(#""a\ud83db""#).readString(), "a\u{FFFD}b")
        XCTAssertEqual(try reader(#""a\ude00b""#).readString(), "a\u{FFFD}b")
        XCTAssertEqual(try reader(#""\ud83d\n""#).readString(), "\u{FFFD}\n")
    }

    func testString_RawUTF8_IsKept() throws {
        XCTAssertEqual(try reader("\"naïve 日本 🎬\"").readString(), "naïve 日本 🎬")
    }

    func testNumber_KeepsItsText() throws {
        for text in ["0", "5", "-12", "3.25", "-1.5e3", "2E+10", "7e-2"] {
            XCTAssertEqual(try reader(text).readNumberText(), text)
        }
    }

    func testSkipValue_NestedValuesAndWhitespace() throws {
        let r = reader(" \n\t{ \"a\" : [1, {\"b\": [true, false, null, \"x\\\"y\"]}, -2.5e1], \"c\": {} }\r\n")
        try r.skipValue()
        XCTAssertNoThrow(try r.finish())
    }

    func testSkipValue_TooDeep_IsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = captureError { try self.reader(deep).skipValue() }
        guard case .malformedJSON(_, _, _, _, let reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(reason.contains("nesting"))
    }

    // MARK: - Syntax errors with positions

    private func malformed(_ text: String) -> (line: Int, column: Int, offset: Int, reason: String, message: String)? {
        let error = captureError {
            let r = JSONByteReader(bytes: Array(text.utf8), name: "bad.json")
            try r.skipValue()
            try r.finish()
        }
        guard case let .malformedJSON(file, line, column, offset, reason)? = error else {
            XCTFail("expected malformedJSON, got \(String(describing: error))")
            return nil
        }
        XCTAssertEqual(file, "bad.json")
        return (line, column, offset, reason, error!.description)
    }

    func testMalformed_TrailingCommaInObject_ReportsLineColumnOffset() {
        guard let e = malformed("[\n  {\"id\": \"1\",}\n]") else { return }
        XCTAssertEqual(e.line, 2)
        XCTAssertEqual(e.column, 14)
        XCTAssertEqual(e.offset, 15)
        XCTAssertTrue(e.reason.contains("trailing comma"), e.reason)
        XCTAssertTrue(e.message.hasPrefix("bad.json:2:14: malformed JSON (byte 15)"), e.message)
    }

    func testMalformed_TrailingCommaInList() {
        guard let e = malformed("[1, 2, ]") else { return }
        XCTAssertEqual(e.offset, 7)
        XCTAssertTrue(e.reason.contains("trailing comma before ']'"), e.reason)
    }

    func testMalformed_Truncated_ReportsEndOfInput() {
        let text = "[{\"id\": \"1\", \"input\": \"Which ta"
        guard let e = malformed(text) else { return }
        XCTAssertEqual(e.offset, 22)  // where the unterminated string starts
        XCTAssertTrue(e.reason.contains("end of input"), e.reason)
        guard let e2 = malformed("[{\"id\": \"1\"") else { return }
        XCTAssertEqual(e2.offset, 11)
        XCTAssertTrue(e2.reason.contains("end of input"), e2.reason)
    }

    func testMalformed_BadEscape_PointsAtTheBackslash() {
        guard let e = malformed("[\"ab\\xcd\"]") else { return }
        XCTAssertEqual(e.offset, 4)
        XCTAssertEqual(e.column, 5)
        XCTAssertTrue(e.reason.contains("invalid escape '\\x'"), e.reason)
        guard let e2 = malformed("[\"\\u12G4\"]") else { return }
        XCTAssertTrue(e2.reason.contains("hex digit"), e2.reason)
    }

    func testMalformed_ColumnCountsCharactersNotBytes() {
        guard let e = malformed("[\"é\" \"x\"]") else { return }  // missing comma after "é"
        XCTAssertEqual(e.column, 6)
        XCTAssertEqual(e.offset, 6)
    }

    func testMalformed_ControlCharacterAndInvalidUTF8AndGarbage() {
        XCTAssertTrue(malformed("[\"a\nb\"]")?.reason.contains("control character") ?? false)
        let invalid = [UInt8]("[\"a".utf8) + [0xFF, 0xFE] + [UInt8]("\"]".utf8)
        let error = captureError { try JSONByteReader(bytes: invalid, name: "bad.json").skipValue() }
        guard case let .malformedJSON(_, _, _, offset, reason)? = error else { return XCTFail() }
        XCTAssertEqual(offset, 1)
        XCTAssertTrue(reason.contains("UTF-8"))
        XCTAssertTrue(malformed("[tru]")?.reason.contains("literal") ?? false)
        XCTAssertTrue(malformed("[-]")?.reason.contains("invalid number") ?? false)
        XCTAssertTrue(malformed("[] x")?.reason.contains("after the end") ?? false)
        XCTAssertTrue(malformed("")?.reason.contains("end of input") ?? false)
    }

    func testMalformed_InFile_PositionFoundByRereading() throws {
        let dir = try TemporaryDirectory()
        let padding = String(repeating: " ", count: 1_500_000)  // past the first chunk
        let file = try dir.write("dev_questions.json", "[\n\(padding)\n  {\"id\": 1,,}]")
        let error = captureError { _ = try LaMPQuestionsReader.load(file: file) }
        guard case let .malformedJSON(name, line, column, offset, _)? = error else { return XCTFail() }
        XCTAssertEqual(name, file.path)
        XCTAssertEqual(line, 3)
        XCTAssertEqual(column, 12)
        XCTAssertEqual(offset, 2 + 1_500_000 + 1 + 11)
        XCTAssertTrue(error!.description.contains(file.path))
    }

    // MARK: - Chunked reading

    func testChunkedFile_StringsAcrossChunks_MatchJSONSerialization() throws {
        let dir = try TemporaryDirectory()
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abc xyz\"\\\n\té😀中/\u{1}")
        let pool = (0..<20_000).map { _ in alphabet.randomElement(using: &rng)! }
        var questions: [Question] = []
        var bytes = 0
        while bytes < 3_000_000 {
            let items = (0..<5).map { j -> ProfileItem in
                let start = Int.random(in: 0..<17_000, using: &rng)
                let text = String(pool[start..<(start + Int.random(in: 0...3000, using: &rng))])
                bytes += text.utf8.count
                return ProfileItem(id: "\(questions.count)-\(j)", fields: ["text": text, "title": "t\(j)"])
            }
            questions.append(Question(id: "\(questions.count)", input: "Generate a headline for the following article: x", profile: items))
        }
        let file = dir.url.appendingPathComponent("q.json")
        try LaMPWriter.writeQuestions(questions, task: .newsHeadline, to: file, asciiOnly: Bool.random(using: &rng))
        var calls: [(Int, Int)] = []
        let loaded = try LaMPQuestionsReader.load(file: file) { calls.append(($0, $1)) }
        XCTAssertEqual(loaded, questions)

        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]]
        let texts = reference?.flatMap { ($0["profile"] as? [[String: Any]] ?? []).map { $0["text"] as? String } }
        XCTAssertEqual(texts, loaded.flatMap { $0.profile.map { $0.fields["text"] } })

        // progress: bounded (once per chunk), increasing, ending at the total
        let total = LaMPDataset.fileSize(file)
        XCTAssertEqual(calls.count, 1 + (total + JSONByteReader.chunkSize - 1) / JSONByteReader.chunkSize)
        XCTAssertGreaterThan(calls.count, 2)
        XCTAssertEqual(calls.map(\.0), calls.map(\.0).sorted())
        XCTAssertEqual(calls.last?.0, total)
        XCTAssertTrue(calls.allSatisfy { $0.1 == total })
    }
}
