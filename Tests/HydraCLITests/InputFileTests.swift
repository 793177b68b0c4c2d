import Foundation
import HydraEngine
import XCTest
@testable import hydra

/// Input and output paths the commands are given: each problem is named before any work.
final class InputFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testEmbedInput_CRLFLinesAreAccepted() throws {
        let file = directory.appendingPathComponent("texts.jsonl")
        try Data("{\"text\": \"hello\"}\r\n{\"text\": \"wor\\r\\nld\"}\r\n\r\n{\"text\": \"end\"}".utf8).write(to: file)
        XCTAssertEqual(try JSONLinesTexts.read(file), ["hello", "wor\r\nld", "end"])
        // a bad line is still named by its number
        XCTAssertThrowsError(try JSONLinesTexts.parse("{\"text\": \"a\"}\r\n{oops}\r\n", file: "f.jsonl")) {
            XCTAssertEqual("\($0)", "f.jsonl:2: not valid JSON")
        }
    }

    func testEmbedInput_AFolderIsNamedAsSuch() {
        XCTAssertThrowsError(try JSONLinesTexts.read(directory)) { error in
            XCTAssertEqual("\(error)", "\(directory.path): is a folder, expected a JSON Lines file of {\"text\": ...}")
        }
        XCTAssertThrowsError(try JSONLinesTexts.read(directory.appendingPathComponent("none.jsonl"))) {
            XCTAssertTrue("\($0)".hasSuffix("none.jsonl: no such file"), "\($0)")
        }
    }

    func testRunOut_CheckedBeforeAnyWork() throws {
        let file = directory.appendingPathComponent("existing.txt")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try ResultsReport.prepareOutputDirectory(file)) {
            XCTAssertEqual("\($0)", "results folder \(file.path): is a file, expected a folder")
        }
        let underAFile = file.appendingPathComponent("results")
        XCTAssertThrowsError(try ResultsReport.prepareOutputDirectory(underAFile)) {
            XCTAssertEqual("\($0)", "results folder \(underAFile.path): cannot create it (\(file.path) is a file, not a folder)")
        }
        let blocked = directory.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("results.json"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ResultsReport.prepareOutputDirectory(blocked)) {
            XCTAssertEqual("\($0)", "results folder \(blocked.path): results.json is a folder in the way of the results")
        }
        let fresh = directory.appendingPathComponent("a/b/results")
        XCTAssertNoThrow(try ResultsReport.prepareOutputDirectory(fresh))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fresh.path), ["predictions"], "no probe left behind")
    }
}
