import Foundation
import LaMP
import XCTest

@testable import DemoData

/// The LaMP_6 demo is hard in the ways real patch mail is: long messy inputs whose opening says
/// nothing of the subject, short subjects whose form only the user's own history tells.
final class SubjectLineTests: XCTestCase {
    private func dataset(seed: UInt64) throws -> DemoDataset {
        try DemoGenerator(
            spec: DemoSpec(task: .emailSubject, users: 24, seed: seed, profileSize: 30...80, questionsPerUser: 4)
        ).makeDataset()
    }

    /// The convention a subject line follows, read from its form alone.
    private func observedStyle(_ subject: String) -> String {
        func matches(_ pattern: String) -> Bool { subject.range(of: pattern, options: .regularExpression) != nil }
        if matches("^(BUG/MAJOR|BUG/MINOR|MINOR|MEDIUM|CLEANUP|DOC): ") { return "severity_tag" }
        if matches("^\\[[A-Z]+-[0-9]+\\] ") { return "ticket" }
        if matches("^[a-z]+\\([a-z0-9]+\\): ") { return "conventional" }
        if matches("^[a-z0-9]+: ") { return "area_colon" }
        if matches("^(Fixed|Added|Removed|Sped up|Documented|Refactored) .*\\([a-z0-9]+\\)$") { return "past_tense" }
        if matches("^[A-Z]") { return "imperative" }
        return "plain"
    }

    func testEveryUsersConventionIsWrittenBesideTheDataAndTheirSubjectsFollowIt() throws {
        let data = try dataset(seed: 41)
        let goldByID = Dictionary(uniqueKeysWithValues: (data.trainGolds + data.devGolds).map { ($0.id, $0.output) })
        var followed = 0, total = 0
        for user in data.users.users {
            let convention = try XCTUnwrap(user.subjectLine, user.userID)
            XCTAssertNotEqual(convention.style, .plain, "no user's own style is the plain fallback")
            for id in user.questionIDs {
                total += 1
                if observedStyle(try XCTUnwrap(goldByID[id])) == convention.style.rawValue { followed += 1 }
            }
        }
        XCTAssertGreaterThan(Double(followed) / Double(total), 0.85, "\(followed) of \(total)")
        XCTAssertNotNil(DemoUsersFile.documentation(for: .emailSubject)["subject_line.style"])
    }

    func testTheProfilesMajorityStylePredictsTheGoldsStyleAndTheGlobalMajorityDoesNot() throws {
        let data = try dataset(seed: 42)
        let global = majority(data.trainGolds.map { observedStyle($0.output) })
        var personal = 0, globalHits = 0
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let truth = observedStyle(gold.output)
            if majority(question.profile.map { observedStyle($0["title"]) }) == truth { personal += 1 }
            if global == truth { globalHits += 1 }
        }
        let n = Double(data.devQuestions.count)
        XCTAssertGreaterThan(Double(personal) / n, 0.9)
        XCTAssertLessThan(Double(globalHits) / n, 0.5)
    }

    func testInputsAreLongAndMessyAndSubjectsShort() throws {
        let data = try dataset(seed: 43)
        var inputWords = 0, subjectWords = 0
        for (question, gold) in zip(data.devQuestions, data.devGolds) {
            let text = LaMPRetrievalText.query(task: .emailSubject, input: question.input)
            let words = TextKit.wordCount(text)
            XCTAssertGreaterThanOrEqual(words, 100, question.id)
            inputWords += words
            subjectWords += TextKit.wordCount(gold.output)
            XCTAssertLessThanOrEqual(TextKit.wordCount(gold.output), 14, gold.output)
            // a pasted log, steps, a link or a sign-off: never clean prose only
            XCTAssertTrue(text.contains("Signed-off-by:"))
            // the opening sentence does not give the subject away
            let opening = text.split(separator: ".").first.map(String.init) ?? ""
            let subject = Set(gold.output.lowercased().split(separator: " ").map(String.init)).subtracting(["fix", "add", "the"])
            let shared = subject.filter { opening.lowercased().contains(" \($0) ") }
            XCTAssertLessThan(Double(shared.count), Double(subject.count) * 0.6, "\(gold.output) / \(opening)")
        }
        let n = Double(data.devQuestions.count)
        print("LaMP_6 demo: \(Double(inputWords) / n) words per input, \(Double(subjectWords) / n) per subject")
        XCTAssertGreaterThan(Double(inputWords) / n, 110)
        XCTAssertLessThan(Double(subjectWords) / n, 9)
    }

    func testSameSpecSameBytes() throws {
        let a = try dataset(seed: 44), b = try dataset(seed: 44)
        XCTAssertEqual(a.devGolds, b.devGolds)
        XCTAssertEqual(a.devQuestions.map(\.input), b.devQuestions.map(\.input))
    }

    private func majority(_ values: [String]) -> String? {
        var counts: [String: Int] = [:]
        for v in values { counts[v, default: 0] += 1 }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }
}
