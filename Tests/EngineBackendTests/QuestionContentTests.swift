@testable import EngineBackend
import XCTest

final class QuestionContentTests: XCTestCase {
    func testTemplatePrefixAndSuffix_AreStrippedAtWordBoundaries() {
        let inputs = [
            "Which tag does this movie relate to? description: The man returns home. Answer briefly.",
            "Which tag does this movie relate to? description: They fight a war. Answer briefly.",
            "Which tag does this movie relate to? description: A quiet Answer. Answer briefly.",
        ]
        // the shared prefix ends inside "The"/"They": cut back to the space before them
        XCTAssertEqual(QuestionContent.extract(inputs), ["The man returns home.", "They fight a war.", "A quiet Answer."])
    }

    func testOneQuestion_KeepsTheWholeInput() {
        XCTAssertEqual(QuestionContent.extract(["review: great stuff"]), ["review: great stuff"])
        XCTAssertEqual(QuestionContent.extract([]), [])
    }

    func testNothingShared_KeepsInputs() {
        XCTAssertEqual(QuestionContent.extract(["alpha beta", "gamma delta"]), ["alpha beta", "gamma delta"])
    }

    func testAnInputThatIsAllTemplate_IsKeptWhole() {
        let inputs = ["article: one two", "article: one two three", "article: four"]
        XCTAssertEqual(QuestionContent.extract(inputs), ["one two", "one two three", "four"])
        XCTAssertEqual(QuestionContent.extract(["same words", "same words"]), ["same words", "same words"])
    }
}
