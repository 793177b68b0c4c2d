import Basics
import Foundation
import XCTest
@testable import LLM

/// The tokenizer's merge loop as it was before the heap: rescan every adjacent pair after each
/// merge (llama2.c `encode`). Quadratic, so it lives here only as the reference the heap version
/// must agree with id for id.
struct QuadraticBPEReference {
    let tokenizer: BPETokenizer

    func encode(_ text: String, parseSpecial: Bool = false) -> [Int] {
        var out: [Int] = []
        for segment in tokenizer.splitSpecial(text, parseSpecial: parseSpecial) {
            switch segment {
            case .special(let id): out.append(id)
            case .text(let t):
                for word in tokenizer.preTokenizer.split(t) { encodeWord(word, into: &out) }
            }
        }
        return out
    }

    func encodeWord(_ word: String, into out: inout [Int]) {
        var symbols = Array(word.utf8).map { String(ByteLevel.byteToScalar[Int($0)]) }
        if symbols.count > 1 {
            while true {
                var best: (rank: Int, index: Int)?
                for i in 0..<(symbols.count - 1) {
                    if let r = tokenizer.ranks[symbols[i] + " " + symbols[i + 1]], r < (best?.rank ?? Int.max) {
                        best = (r, i)
                    }
                }
                guard let b = best else { break }
                symbols[b.index] += symbols[b.index + 1]
                symbols.remove(at: b.index + 1)
            }
        }
        for s in symbols {
            if let id = tokenizer.id(of: s) {
                out.append(id)
            } else {
                for scalar in s.unicodeScalars { if let id = tokenizer.id(of: String(scalar)) { out.append(id) } }
            }
        }
    }
}

/// Random and adversarial texts, reproducible from a seed. Lengths stay in the hundreds so the
/// quadratic reference finishes: the point is agreement, the long inputs are the performance tests'.
struct TokenizerInputGenerator {
    var random: SplitMix64

    /// Characters from several scripts and classes the pre-tokenizer treats differently.
    static let alphabet: [Character] = Array(
        "abcxyzAZ éüßñ Привет мир 世界日本語 こんにちは 안녕 مرحبا שלום नमस्ते 🙂👍🏽🇫🇷 0123456789٣४ "
            + "'s't're've'm'll'd .,;:!?-_/\\()[]{}<>|@#$%^&*+=~`\"ĠĊ\t\n\r\u{00A0}\u{2003}\u{3000}\u{200B}")

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// Arbitrary bytes, invalid UTF-8 replaced by U+FFFD as any caller's String would.
    mutating func randomBytes() -> String {
        let bytes = (0..<int(1...64)).map { _ in UInt8.random(in: 0...255, using: &random) }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func randomScalars() -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<int(1...48) {
            let planes: [ClosedRange<UInt32>] = [0x20...0x7E, 0xA0...0x24F, 0x370...0x6FF, 0x900...0x97F,
                                                 0x3040...0x30FF, 0x4E00...0x4FFF, 0xAC00...0xACFF, 0x1F300...0x1F64F]
            let value = UInt32.random(in: pick(planes), using: &random)
            if let scalar = Unicode.Scalar(value) { view.append(scalar) }
        }
        return String(view)
    }

    mutating func mixedText() -> String {
        String((0..<int(1...80)).map { _ in pick(Self.alphabet) })
    }

    mutating func repeatedCharacter() -> String {
        let unit = pick(["a", "aa", "ab", " ", "\n", "\t", "0", "=", "-", "é", "世", "🙂", "ab ", "Ġ", "  a"])
        return String(repeating: unit, count: int(1...300))
    }

    mutating func whitespaceRun() -> String {
        let spaces: [Character] = [" ", " ", "\t", "\n", "\r", "\u{00A0}", "\u{3000}"]
        let run = String((0..<int(1...120)).map { _ in pick(spaces) })
        return pick(["", "word", "x", "1"]) + run + pick(["", "word", "y", "2", "'s"])
    }

    mutating func url() -> String {
        let segment = { (g: inout TokenizerInputGenerator) in
            String((0..<g.int(1...24)).map { _ in g.pick(Array("abcdefghijklmnopqrstuvwxyz0123456789-_.~%")) })
        }
        var text = pick(["https://", "http://www.", "ftp://", ""]) + segment(&self) + pick([".com", ".org", ".co.uk"])
        for _ in 0..<int(1...20) { text += "/" + segment(&self) }
        if int(0...1) == 1 { text += "?q=" + segment(&self) + "&page=" + String(int(0...9999)) + "#" + segment(&self) }
        return text
    }

    /// One input of a kind chosen at random, sometimes with chat markup around it.
    mutating func next() -> String {
        let text: String
        switch int(0...5) {
        case 0: text = randomBytes()
        case 1: text = randomScalars()
        case 2: text = mixedText()
        case 3: text = repeatedCharacter()
        case 4: text = whitespaceRun()
        default: text = url()
        }
        return int(0...7) == 0 ? "<|im_start|>user\n" + text + "<|im_end|>\n" : text
    }
}

final class TokenizerDifferentialTests: XCTestCase {
    /// Bounded twice: a fixed number of seeded inputs a few hundred characters long at most, and a
    /// deadline after which the rest are skipped (a loaded debug build is slow; release takes ~1 s).
    func testEncode_HeapMerges_MatchQuadraticReference() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let reference = QuadraticBPEReference(tokenizer: tokenizer)
        var inputs = TokenizerInputGenerator(random: SplitMix64(seed: 0x5EED_B9E, stream: 0))
        let caseCount = 3000
        let deadline = Date().addingTimeInterval(60)
        var compared = 0
        for index in 0..<caseCount {
            guard Date() < deadline else { break }
            let text = inputs.next()
            let parseSpecial = index.isMultiple(of: 2)
            let expected = reference.encode(text, parseSpecial: parseSpecial)
            let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
            XCTAssertEqual(ids, expected, "case \(index): \(text.debugDescription)")
            if ids != expected { break }
            compared += 1
        }
        print("tokenizer differential: \(compared) of \(caseCount) inputs agree")
        XCTAssertGreaterThanOrEqual(compared, 500, "too few inputs compared before the deadline")
    }

    func testEncode_AdversarialWords_MatchQuadraticReference() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let reference = QuadraticBPEReference(tokenizer: tokenizer)
        let words = [
            String(repeating: "a", count: 1000), String(repeating: "ab", count: 400), String(repeating: " ", count: 700),
            String(repeating: "\n", count: 500), String(repeating: "=", count: 600), String(repeating: "é", count: 300),
            String(repeating: "世界", count: 200), String(repeating: "🙂", count: 150),
            "https://example.com/" + String(repeating: "path/segment-", count: 60) + "?q=1&r=2#frag",
            String(repeating: "aaab", count: 200) + String(repeating: "b", count: 99),
        ]
        for word in words {
            XCTAssertEqual(tokenizer.encode(word), reference.encode(word), "\(word.prefix(24).debugDescription)…")
        }
    }
}
