import ArgumentParser
import LLM
import XCTest
@testable import hydra

/// Argument checks that run before any work: each names the argument and what it accepts.
final class ArgumentTests: XCTestCase {
    private func parseError<C: ParsableCommand>(_ command: C.Type, _ arguments: [String]) -> String {
        do {
            _ = try command.parse(arguments)
            return ""
        } catch {
            return command.message(for: error)
        }
    }

    func testRetrieve_NegativeK_NamesTheArgumentAndRange() {
        let message = parseError(RetrieveCommand.self, ["--data", "d", "--question", "q", "--k", "-1"])
        XCTAssertTrue(message.contains("--k must be at least 1"), message)
        XCTAssertTrue(message.contains("-1"), message)
        XCTAssertFalse(message.contains("Missing value"), message)
    }

    func testRun_ZeroTrainUsers_IsRejectedBeforeLoading() {
        for (flag, value) in [("--train-users", "0"), ("--eval-users", "-2")] {
            let message = parseError(RunCommand.self, ["--data", "d", flag, value])
            XCTAssertTrue(message.contains("\(flag) must be at least 1, not \(value)"), message)
        }
    }

    func testPrecision_UnknownValue_IsRejectedByEveryCommandThatTakesIt() throws {
        let expected = "--precision must be exact or int8, not \"fp16\""
        XCTAssertTrue(parseError(GenerateCommand.self, ["--chat", "hi", "--precision", "fp16"]).contains(expected))
        XCTAssertTrue(parseError(RunCommand.self, ["--data", "d", "--precision", "fp16"]).contains(expected))
        XCTAssertTrue(parseError(ServeCommand.self, ["--precision", "fp16"]).contains(expected))
        XCTAssertTrue(parseError(InspectCommand.self, ["--data", "d", "--question", "q", "--precision", "fp16"]).contains(expected))
        XCTAssertTrue(parseError(BenchCommand.LLM.self, ["--precision", "fp16"]).contains(expected))
        let server = parseError(GenerateCommand.self, ["--chat", "hi", "--llm", "http://h:1/v1", "--precision", "exact"])
        XCTAssertTrue(server.contains("--precision works with the embedded model only"), server)
        XCTAssertEqual(try RunCommand.parse(["--data", "d", "--precision", "exact"]).overrides().precision, .exact)
        XCTAssertNil(try RunCommand.parse(["--data", "d"]).overrides().precision)
    }
}
