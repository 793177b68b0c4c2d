@testable import LLM
import XCTest

final class UTF8PieceDecoderTests: XCTestCase {
    func testCharactersSplitAcrossTokens_WaitUntilWhole() {
        var decoder = UTF8PieceDecoder()
        XCTAssertEqual(decoder.append(Array("ab".utf8)), "ab")
        XCTAssertNil(decoder.append([0xC3]), "the first byte of é")
        XCTAssertEqual(decoder.append([0xA9, 0x21]), "é!")
        let emoji = Array("🙂".utf8)
        XCTAssertNil(decoder.append([emoji[0]]))
        XCTAssertNil(decoder.append([emoji[1], emoji[2]]))
        XCTAssertEqual(decoder.append([emoji[3]]), "🙂")
    }

    func testInvalidBytes_DoNotStallTheStream() {
        var decoder = UTF8PieceDecoder()
        XCTAssertEqual(decoder.append([0xFF, 0x41]), "\u{FFFD}A")
        XCTAssertNil(decoder.append([]))
    }
}
