import Foundation
import XCTest

@testable import LaMP

/// A fresh temporary directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lamp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` inside the directory and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}

/// Runs `body`, which must throw a `LaMPDataError`, and returns it.
func captureError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> LaMPDataError? {
    do {
        try body()
        XCTFail("expected an error", file: file, line: line)
    } catch let error as LaMPDataError {
        return error
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
    }
    return nil
}

/// A one-line JSON questions file of LaMP_2 shape: one question per `(id, tags)`, one profile
/// item per tag.
func movieQuestionsJSON(_ questions: [(id: String, tags: [String])]) -> String {
    let input = "Which tag does this movie relate to among the following tags? Just answer with the tag name "
        + "without further explanation. tags: [sci-fi, comedy] description: a robot learns to laugh"
    let list = questions.map { q in
        let items = q.tags.enumerated().map { j, tag in
            "{\"id\": \"\(q.id)\(j)\", \"description\": \"movie \(j) of \(q.id)\", \"tag\": \"\(tag)\"}"
        }
        return "{\"id\": \"\(q.id)\", \"input\": \"\(input)\", \"profile\": [\(items.joined(separator: ", "))]}"
    }
    return "[" + list.joined(separator: ",\n") + "]"
}

/// An outputs file for `task` with the given `(id, output)` golds.
func outputsJSON(task: String, _ golds: [(String, String)]) -> String {
    let list = golds.map { "{\"id\": \"\($0.0)\", \"output\": \"\($0.1)\"}" }
    return "{\"task\": \"\(task)\", \"golds\": [\(list.joined(separator: ", "))]}"
}
