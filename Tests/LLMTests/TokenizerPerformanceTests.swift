import Foundation
import XCTest
@testable import LLM

/// Guards against BPE or the pre-tokenizer turning quadratic again on one long pre-token. The
/// bounds are generous (a loaded CI machine) for work that takes well under a second in release.
final class TokenizerPerformanceTests: XCTestCase {
    static let megabyte = 1 << 20

    func testEncode_OneMegabyteOfOneCharacter_IsFast() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let text = String(repeating: "a", count: Self.megabyte)
        let (ids, seconds) = timed { tokenizer.encode(text) }
        print(String(format: "tokenize 1 MB of 'a': %.3f s, %d tokens", seconds, ids.count))
        XCTAssertEqual(tokenizer.decode(ids), text)
        XCTAssertLessThan(seconds, 5)
    }

    func testEncode_LongURL_And20kRepeats_AreFast() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        // a path of letters only is one 10 KB pre-token (the quadratic loop took 7 s on it)
        let url = "https://example.com/" + String(repeating: "abcdefghij", count: 1024)
        for (label, text) in [("10 KB URL", url), ("10k 'a'", String(repeating: "a", count: 10_000)),
                              ("20k 'a'", String(repeating: "a", count: 20_000))] {
            let (ids, seconds) = timed { tokenizer.encode(text) }
            print(String(format: "tokenize %@: %.3f s, %d tokens", label, seconds, ids.count))
            XCTAssertEqual(tokenizer.decode(ids), text)
            XCTAssertLessThan(seconds, 2, label)
        }
    }

    func testPreTokenizer_OneMegabyteOfEachCharacterClass_IsLinear() throws {
        let pre = try PreTokenizer(name: "smollm")
        let units = ["a", " ", "\n", "-", "7", "a ", "  a", "'s", "世", "é-1 "]
        for unit in units {
            let text = String(repeating: unit, count: Self.megabyte / unit.utf8.count)
            let (pieces, seconds) = timed { pre.split(text) }
            print(String(format: "pre-tokenize 1 MB of %@: %.3f s, %d pieces", unit.debugDescription, seconds, pieces.count))
            XCTAssertEqual(pieces.joined(), text)
            XCTAssertLessThan(seconds, 5, unit.debugDescription)
        }
    }

    private func timed<T>(_ work: () -> T) -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = work()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
