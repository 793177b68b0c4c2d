import ArgumentParser
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
}
