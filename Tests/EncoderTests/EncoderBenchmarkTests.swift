import HydraBench
import XCTest

final class EncoderBenchmarkTests: XCTestCase {
    func testBenchmarkSentences_ThirtyWordsAndReproducible() {
        let sentences = encoderBenchmarkSentences(count: 40)
        XCTAssertEqual(sentences.count, 40)
        XCTAssertEqual(sentences, encoderBenchmarkSentences(count: 40))
        XCTAssertEqual(Set(sentences).count, 40)
        for sentence in sentences {
            XCTAssertEqual(sentence.split(separator: " ").count, 30)
            XCTAssertTrue(sentence.hasSuffix("."))
            XCTAssertEqual(sentence.first?.isUppercase, true)
        }
    }
}
