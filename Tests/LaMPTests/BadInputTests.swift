import Foundation
import XCTest

@testable import LaMP

/// Every kind of bad input gets one error naming the file, the position or index, and the problem.
final class BadInputTests: XCTestCase {
    private func questionsError(_ text: String) throws -> (LaMPDataError?, URL, TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        let file = try dir.write("dev_questions.json", text)
        return (captureError { _ = try LaMPQuestionsReader.load(file: file) }, file, dir)
    }

    private func datasetError(_ files: [String: String], task: LaMPTask? = nil) throws -> (LaMPDataError?, TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        for (name, text) in files { try dir.write(name, text) }
        return (captureError { _ = try LaMPDataset.load(directory: dir.url, task: task) }, dir)
    }

    private func assertMentions(_ error: LaMPDataError?, _ parts: String..., line: UInt = #line) {
        let message = error?.description ?? ""
        XCTAssertFalse(message.contains("\n"), "one line", line: line)
        for part in parts {
            XCTAssertTrue(message.contains(part), "\"\(message)\" should mention \(part)", line: line)
        }
    }

    // MARK: - Malformed JSON

    func testMalformed_TruncatedFile_NamesFileLineColumn() throws {
        let (error, file, _) = try questionsError("[{\"id\": \"1\", \"input\": \"x\",\n \"profile\": [{\"id\": \"a\"")
        guard case let .malformedJSON(name, line, column, offset, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(name, file.path)
        XCTAssertEqual(line, 2)
        XCTAssertEqual(column, 24)
        XCTAssertEqual(offset, 50)
        assertMentions(error, file.path, ":2:24", "byte 50", "end of input")
    }

    func testMalformed_TrailingComma_InDatasetDirectory() throws {
        let (error, dir) = try datasetError(["train_questions.json": "[{\"id\": \"1\",}]"])
        guard case let .malformedJSON(name, 1, 13, 12, reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(name, dir.url.appendingPathComponent("train_questions.json").path)
        XCTAssertTrue(reason.contains("trailing comma"))
        assertMentions(error, "train_questions.json:1:13")
    }

    func testMalformed_BadEscape_NamesPosition() throws {
        let (error, file, _) = try questionsError("[{\"id\": \"1\", \"input\": \"a\\qb\"}]")
        guard case let .malformedJSON(_, 1, 25, 24, reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(reason.contains("invalid escape"))
        assertMentions(error, file.path, "byte 24")
    }

    // MARK: - Wrong types

    func testWrongType_TopLevelNotAList() throws {
        let (error, file, _) = try questionsError("{\"id\": 1}")
        XCTAssertEqual(error, .wrongType(file: file.path, path: "(top level)", expected: "a list of questions", found: "an object"))
        assertMentions(error, file.path, "(top level)")
    }

    func testWrongType_InputNumberAndProfileString() throws {
        let q0 = "{\"id\": \"1\", \"input\": \"x\", \"profile\": [{\"id\": \"a\"}]}"
        let (error, file, _) = try questionsError("[\(q0), {\"id\": \"2\", \"input\": 7, \"profile\": []}]")
        XCTAssertEqual(error, .wrongType(file: file.path, path: "[1].input", expected: "a string", found: "a number"))
        assertMentions(error, file.path, "[1].input")

        let (error2, file2, _) = try questionsError("[{\"id\": \"1\", \"input\": \"x\", \"profile\": \"none\"}]")
        XCTAssertEqual(error2, .wrongType(file: file2.path, path: "[0].profile", expected: "a list", found: "a string"))

        let (error3, _, _) = try questionsError("[{\"id\": \"1\", \"input\": \"x\", \"profile\": [{\"id\": \"a\"}, 3]}]")
        guard case .wrongType(_, "[0].profile[1]", _, "a number")? = error3 else { return XCTFail("\(String(describing: error3))") }

        let (error4, _, _) = try questionsError("[{\"id\": [1], \"input\": \"x\", \"profile\": [{}]}]")
        guard case .wrongType(_, "[0].id", "a string or a number", "a list")? = error4 else { return XCTFail("\(String(describing: error4))") }
    }

    func testWrongType_GoldOutputObject() throws {
        let error = captureError {
            _ = try LaMPOutputsReader.parse(Array("{\"task\": \"LaMP_3\", \"golds\": [{\"id\": \"1\", \"output\": {}}]}".utf8), name: "dev_outputs.json")
        }
        XCTAssertEqual(error, .wrongType(file: "dev_outputs.json", path: "golds[0].output", expected: "a string or a number", found: "an object"))
        assertMentions(error, "dev_outputs.json", "golds[0].output")
    }

    // MARK: - Missing fields

    func testMissingField_QuestionInput() throws {
        let q0 = "{\"id\": \"1\", \"input\": \"x\", \"profile\": [{\"id\": \"a\"}]}"
        let (error, file, _) = try questionsError("[\(q0), {\"id\": \"2\", \"profile\": [{\"id\": \"b\"}]}]")
        XCTAssertEqual(error, .missingField(file: file.path, path: "[1]", field: "input"))
        assertMentions(error, file.path, "[1]", "\"input\"")
    }

    func testMissingField_ProfileItemLacksTasksField() throws {
        let questions = "[{\"id\": \"1\", \"input\": \"x\", \"profile\": [{\"id\": \"a\", \"description\": \"d\", \"tag\": \"comedy\"}, {\"id\": \"b\", \"description\": \"d\"}]}]"
        let (error, dir) = try datasetError(["dev_questions.json": questions], task: .movieTag)
        let file = dir.url.appendingPathComponent("dev_questions.json").path
        XCTAssertEqual(error, .missingField(file: file, path: "[0].profile[1]", field: "tag"))
        assertMentions(error, file, "[0].profile[1]", "\"tag\"")
    }

    func testMissingField_OutputsTaskAndGoldOutput() {
        let noTask = captureError { _ = try LaMPOutputsReader.parse(Array("{\"golds\": []}".utf8), name: "o.json") }
        XCTAssertEqual(noTask, .missingField(file: "o.json", path: "(top level)", field: "task"))
        let noOutput = captureError {
            _ = try LaMPOutputsReader.parse(Array("{\"task\": \"LaMP_4\", \"golds\": [{\"id\": \"1\"}]}".utf8), name: "o.json")
        }
        XCTAssertEqual(noOutput, .missingField(file: "o.json", path: "golds[0]", field: "output"))
        assertMentions(noOutput, "o.json", "golds[0]", "\"output\"")
    }

    // MARK: - Tasks

    func testUnknownTask_InOutputsFileAndArgument() {
        let error = captureError { _ = try LaMPOutputsReader.parse(Array(outputsJSON(task: "LaMP_9", []).utf8), name: "dev_outputs.json") }
        XCTAssertEqual(error, .unknownTask(file: "dev_outputs.json", path: "task", name: "LaMP_9"))
        assertMentions(error, "dev_outputs.json", "LaMP_9", "LaMP_2N")
        XCTAssertEqual(captureError { _ = try LaMPTask.parse("LaMP-eight") }, .unknownTask(file: "argument", path: "task", name: "LaMP-eight"))
        XCTAssertEqual(try LaMPTask.parse("lamp2n"), .newsCategory)
    }

    func testTaskMismatch_ArgumentVersusOutputsFile() throws {
        let (error, dir) = try datasetError(
            ["dev_questions.json": movieQuestionsJSON([("1", ["comedy"])]), "dev_outputs.json": outputsJSON(task: "LaMP_2", [("1", "comedy")])],
            task: .productRating)
        XCTAssertEqual(error, .taskMismatch(file: dir.url.appendingPathComponent("dev_outputs.json").path, expected: .productRating, found: .movieTag))
        assertMentions(error, "dev_outputs.json", "LaMP_2", "LaMP_3")
    }

    func testUndetectableTask_NamesTheInput() throws {
        let questions = "[{\"id\": \"1\", \"input\": \"Tell me a joke\", \"profile\": [{\"id\": \"a\"}]}]"
        let (error, dir) = try datasetError(["test_questions.json": questions])
        let file = dir.url.appendingPathComponent("test_questions.json").path
        XCTAssertEqual(error, .undetectableTask(file: file, path: "[0].input", inputStart: "Tell me a joke"))
        assertMentions(error, file, "[0].input")
    }

    // MARK: - Content

    func testEmptyProfile_NamesQuestion() throws {
        let q0 = "{\"id\": \"1\", \"input\": \"x\", \"profile\": [{\"id\": \"a\"}]}"
        let (error, file, _) = try questionsError("[\(q0), {\"id\": \"q2\", \"input\": \"y\", \"profile\": []}]")
        XCTAssertEqual(error, .emptyProfile(file: file.path, path: "[1].profile", questionID: "q2"))
        assertMentions(error, file.path, "[1].profile", "q2")
    }

    func testDuplicateID_QuestionsAndGolds() throws {
        let json = movieQuestionsJSON([("7", ["comedy"]), ("8", ["action"]), ("7", ["classic"])])
        let (error, file, _) = try questionsError(json)
        XCTAssertEqual(error, .duplicateID(file: file.path, path: "[2].id", id: "7", firstPath: "[0].id"))
        assertMentions(error, file.path, "[2].id", "\"7\"", "[0].id")

        let golds = captureError {
            _ = try LaMPOutputsReader.parse(Array(outputsJSON(task: "LaMP_2", [("1", "a"), ("1", "b")]).utf8), name: "o.json")
        }
        XCTAssertEqual(golds, .duplicateID(file: "o.json", path: "golds[1].id", id: "1", firstPath: "golds[0].id"))
    }

    func testGoldsMismatch_ListsMissingAndExtraIDsWithCounts() throws {
        let questions = movieQuestionsJSON((1...8).map { (String($0), ["comedy"]) })
        let golds = outputsJSON(task: "LaMP_2", [("1", "comedy"), ("2", "comedy"), ("x", "comedy")])
        let (error, dir) = try datasetError(["train_questions.json": questions, "train_outputs.json": golds])
        let qFile = dir.url.appendingPathComponent("train_questions.json").path
        let oFile = dir.url.appendingPathComponent("train_outputs.json").path
        XCTAssertEqual(
            error,
            .goldsMismatch(questionsFile: qFile, outputsFile: oFile, missing: ["3", "4", "5", "6", "7"], missingCount: 6, extra: ["x"], extraCount: 1))
        assertMentions(error, oFile, "6 question id(s) without a gold", "\"3\"", "…", "1 gold id(s) without a question", "\"x\"")
    }

    // MARK: - Files and directories

    func testDirectoryWithoutQuestionsFile() throws {
        let (error, dir) = try datasetError(["dev_outputs.json": outputsJSON(task: "LaMP_2", []), "notes.txt": "hi"])
        XCTAssertEqual(error, .noQuestionsFile(directory: dir.url.path))
        assertMentions(error, dir.url.path, "no questions file")
    }

    func testUnreadable_MissingDirectoryAndDirectoryAsFile() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.url.appendingPathComponent("nope")
        XCTAssertEqual(captureError { _ = try LaMPDataset.load(directory: missing) }, .unreadableFile(file: missing.path, reason: "no such directory"))
        let asFile = dir.url.appendingPathComponent("dev_questions.json")
        try FileManager.default.createDirectory(at: asFile, withIntermediateDirectories: false)
        let error = captureError { _ = try LaMPQuestionsReader.load(file: asFile) }
        XCTAssertEqual(error, .unreadableFile(file: asFile.path, reason: "not a regular file"))
        let absent = captureError { _ = try LaMPQuestionsReader.load(file: missing) }
        guard case .unreadableFile(missing.path, _)? = absent else { return XCTFail("\(String(describing: absent))") }
    }

    func testDatasetPathIsAFile_SaysSo() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("dev_questions.json", movieQuestionsJSON([("1", ["comedy"])]))
        let error = captureError { _ = try LaMPDataset.load(directory: file) }
        XCTAssertEqual(error, .notADirectory(path: file.path))
        assertMentions(error, file.path, "is a file, expected a folder")
    }

    // MARK: - Task mismatch, labels, long values

    func testRatingOutputsBesideMovieQuestions_NamesBothTasks() throws {
        let questions = movieQuestionsJSON([("1", ["comedy"]), ("2", ["sci-fi"])])
        let (error, dir) = try datasetError([
            "dev_questions.json": questions, "dev_outputs.json": outputsJSON(task: "LaMP_3", [("1", "3"), ("2", "4")]),
        ])
        let qFile = dir.url.appendingPathComponent("dev_questions.json").path
        let oFile = dir.url.appendingPathComponent("dev_outputs.json").path
        XCTAssertEqual(error, .questionsOfAnotherTask(questionsFile: qFile, detected: .movieTag, source: oFile, named: .productRating))
        assertMentions(error, qFile, "LaMP_2", "LaMP_3", oFile)
        // the same first error whichever split list a command asks for
        let devOnly = captureError { _ = try LaMPDataset.load(directory: dir.url, splits: [.dev]) }
        XCTAssertEqual(devOnly, error)
        // and when the task comes from the caller instead of an outputs file
        let given = try datasetError(["dev_questions.json": questions], task: .productRating).0
        guard case .questionsOfAnotherTask(_, .movieTag, "the task given", .productRating)? = given else {
            return XCTFail("\(String(describing: given))")
        }
    }

    func testGoldsOutsideTheLabelSet_AreRejectedWithIDAndLabels() throws {
        let questions = movieQuestionsJSON([("1", ["comedy"]), ("2", ["sci-fi"])])
        for bad in ["not-a-tag", "5"] {
            let (error, dir) = try datasetError([
                "dev_questions.json": questions, "dev_outputs.json": outputsJSON(task: "LaMP_2", [("1", "comedy"), ("2", bad)]),
            ])
            let oFile = dir.url.appendingPathComponent("dev_outputs.json").path
            XCTAssertEqual(error, .goldOutsideLabels(file: oFile, path: "golds[1].output", id: "2", value: bad, task: .movieTag))
            assertMentions(error, oFile, "\"2\"", "\"\(bad)\"", "LaMP_2", "\"sci-fi\"", "\"true story\"")
        }
        for bad in ["abc", "9", "0"] {
            let error = captureError {
                try LaMPValidation.checkGoldLabels(
                    [Gold(id: "a", output: "3"), Gold(id: "b", output: bad)], task: .productRating, file: "o.json")
            }
            XCTAssertEqual(error, .goldOutsideLabels(file: "o.json", path: "golds[1].output", id: "b", value: bad, task: .productRating))
            assertMentions(error, "\"1\", \"2\", \"3\", \"4\", \"5\"")
        }
        XCTAssertNotNil(captureError { try LaMPValidation.checkGoldLabels([Gold(id: "a", output: "1")], task: .citation, file: "o") })
        XCTAssertNoThrow(try LaMPValidation.checkGoldLabels([Gold(id: "a", output: " [2] ")], task: .citation, file: "o"))
        XCTAssertNoThrow(try LaMPValidation.checkGoldLabels([Gold(id: "a", output: "anything")], task: .newsHeadline, file: "o"))
    }

    func testVeryLongID_IsClippedInErrors() throws {
        let id = String(repeating: "9", count: 5000)
        let (error, _) = try datasetError(["dev_questions.json": movieQuestionsJSON([(id, ["comedy"]), (id, ["comedy"])])])
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("duplicate id"), message)
        XCTAssertLessThan(message.count, 400, message)
        XCTAssertTrue(message.contains(String(repeating: "9", count: 40) + "…"), message)
    }
}
