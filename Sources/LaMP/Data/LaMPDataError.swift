import Foundation

/// Everything that can be wrong with a LaMP file or dataset directory.
///
/// Every case names the file (or directory) and where in it the problem is: a line, column and
/// byte offset for malformed JSON, a JSON path such as `[12].profile[3].tag` for well-formed JSON
/// with the wrong content. `description` is one line meant for people.
public enum LaMPDataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file or directory could not be opened or read.
    case unreadableFile(file: String, reason: String)
    /// A file could not be written.
    case unwritableFile(file: String, reason: String)
    /// The bytes are not valid JSON (or not valid UTF-8) at the given position.
    ///
    /// `line` and `column` are 1-based (the column counts characters), `offset` is the 0-based
    /// byte offset.
    case malformedJSON(file: String, line: Int, column: Int, offset: Int, reason: String)
    /// A value has the wrong JSON type, e.g. a number where a list of questions belongs.
    case wrongType(file: String, path: String, expected: String, found: String)
    /// An object lacks a required field.
    case missingField(file: String, path: String, field: String)
    /// A task name that is not one of LaMP_1 … LaMP_7 or LaMP_2N.
    case unknownTask(file: String, path: String, name: String)
    /// The task could not be recognised from a question's input text.
    case undetectableTask(file: String, path: String, inputStart: String)
    /// Two sources disagree about the task (the outputs file, another outputs file, the caller).
    case taskMismatch(file: String, expected: LaMPTask, found: LaMPTask)
    /// A question's profile is an empty list.
    case emptyProfile(file: String, path: String, questionID: String)
    /// The same id appears twice; `firstPath` is where it appeared first.
    case duplicateID(file: String, path: String, id: String, firstPath: String)
    /// The golds' ids are not exactly the questions' ids.
    ///
    /// `missing` lists (a few) question ids without a gold, `extra` (a few) gold ids without a
    /// question; the counts are the totals.
    case goldsMismatch(
        questionsFile: String, outputsFile: String,
        missing: [String], missingCount: Int, extra: [String], extraCount: Int)
    /// A dataset directory without any `{split}_questions.json`.
    case noQuestionsFile(directory: String)
    /// A file given where a dataset directory belongs.
    case notADirectory(path: String)
    /// The questions' inputs are of one task and `source` (an outputs file, or `--task`) names
    /// another: the files belong to different tasks, or the task given is wrong.
    case questionsOfAnotherTask(questionsFile: String, detected: LaMPTask, source: String, named: LaMPTask)
    /// A gold of a classification or rating task that is not one of the task's labels.
    case goldOutsideLabels(file: String, path: String, id: String, value: String, task: LaMPTask)

    /// How many ids `goldsMismatch` lists at most on each side.
    public static let listedIDs = 5

    /// The error in one line, starting with the file.
    public var description: String {
        switch self {
        case let .unreadableFile(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .unwritableFile(file, reason):
            return "\(file): cannot write: \(reason)"
        case let .malformedJSON(file, line, column, offset, reason):
            return "\(file):\(line):\(column): malformed JSON (byte \(offset)): \(reason)"
        case let .wrongType(file, path, expected, found):
            return "\(file): \(path): expected \(expected), found \(found)"
        case let .missingField(file, path, field):
            return "\(file): \(path): missing field \"\(field)\""
        case let .unknownTask(file, path, name):
            let known = LaMPTask.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): \(path): unknown task \"\(name)\" (known: \(known))"
        case let .undetectableTask(file, path, inputStart):
            return "\(file): \(path): cannot tell the LaMP task from the input \"\(inputStart)…\"; "
                + "give the task explicitly"
        case let .taskMismatch(file, expected, found):
            return "\(file): task \(found.rawValue) does not match the expected \(expected.rawValue)"
        case let .emptyProfile(file, path, questionID):
            return "\(file): \(path): question \"\(ErrorText.clipped(questionID))\" has an empty profile"
        case let .duplicateID(file, path, id, firstPath):
            return "\(file): \(path): duplicate id \"\(ErrorText.clipped(id))\" (first at \(firstPath))"
        case let .goldsMismatch(questionsFile, outputsFile, missing, missingCount, extra, extraCount):
            var parts: [String] = []
            if missingCount > 0 {
                parts.append("\(missingCount) question id(s) without a gold in \(outputsFile)"
                    + Self.sample(missing, of: missingCount))
            }
            if extraCount > 0 {
                parts.append("\(extraCount) gold id(s) without a question in \(questionsFile)"
                    + Self.sample(extra, of: extraCount))
            }
            return "\(outputsFile): golds do not match the questions: " + parts.joined(separator: "; ")
        case let .noQuestionsFile(directory):
            return "\(directory): no questions file (expected train_questions.json, "
                + "dev_questions.json or test_questions.json)"
        case let .notADirectory(path):
            return "\(path): is a file, expected a folder (a LaMP dataset directory holding "
                + "{split}_questions.json and {split}_outputs.json)"
        case let .questionsOfAnotherTask(questionsFile, detected, source, named):
            return "\(questionsFile): the questions are \(detected.rawValue) (detected from their inputs) "
                + "but \(source) says \(named.rawValue): the questions and the task do not belong together"
        case let .goldOutsideLabels(file, path, id, value, task):
            let labels = (task.labels ?? []).map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(file): \(path): gold \"\(ErrorText.clipped(value))\" of id \"\(ErrorText.clipped(id))\" "
                + "is not a \(task.rawValue) label (labels: \(labels))"
        }
    }

    /// ` (e.g. "a", "b", …)` for a listing of ids.
    private static func sample(_ ids: [String], of count: Int) -> String {
        guard !ids.isEmpty else { return "" }
        let quoted = ids.map { "\"\(ErrorText.clipped($0))\"" }.joined(separator: ", ")
        return " (e.g. \(quoted)\(count > ids.count ? ", …" : ""))"
    }
}

extension LaMPTask {
    /// Parses a task name as `init?(name:)` does, throwing `unknownTask` naming where it came from.
    ///
    /// - Parameters:
    ///   - name: the task name, e.g. `LaMP_2`.
    ///   - file: the file (or `"argument"`) the name was read from, for the error.
    ///   - path: the JSON path of the name, for the error.
    /// - Returns: the task.
    public static func parse(_ name: String, file: String = "argument", path: String = "task")
        throws -> LaMPTask
    {
        guard let task = LaMPTask(name: name) else {
            throw LaMPDataError.unknownTask(file: file, path: path, name: name)
        }
        return task
    }
}
