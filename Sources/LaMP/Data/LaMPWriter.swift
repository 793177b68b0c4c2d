#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Writes LaMP files: outputs (golds or predictions, which the LaMP evaluator reads) and
/// questions (for generated datasets).
///
/// The JSON is formatted as Python's `json.dump` formats it by default, so a file matches
/// byte for byte what the Python tools would write. Files are written to a temporary file in the
/// same directory and renamed into place, so a reader never sees half a file.
public enum LaMPWriter {
    /// Writes `{"task": ..., "golds": [{"id": ..., "output": ...}, ...]}`.
    ///
    /// - Parameters:
    ///   - golds: the answers or predictions, in the order to write.
    ///   - task: the task name to record.
    ///   - file: where to write.
    ///   - asciiOnly: escape non-ASCII as `\uXXXX` (Python's default `ensure_ascii=True`).
    /// - Throws: `LaMPDataError.unwritableFile` when the file cannot be written.
    public static func writeOutputs(_ golds: [Gold], task: LaMPTask, to file: URL, asciiOnly: Bool = false) throws {
        var w = JSONTextWriter(asciiOnly: asciiOnly)
        w.raw("{")
        w.key("task")
        w.string(task.rawValue)
        w.raw(", ")
        w.key("golds")
        w.raw("[")
        for (i, gold) in golds.enumerated() {
            if i > 0 { w.raw(", ") }
            w.raw("{")
            w.key("id")
            w.string(gold.id)
            w.raw(", ")
            w.key("output")
            w.string(gold.output)
            w.raw("}")
        }
        w.raw("]}")
        try writeAtomically(w.bytes, to: file)
    }

    /// Writes a questions file: `[{"id", "input", "profile": [{"id", ...fields}], "user_id"?}]`.
    ///
    /// Profile fields are written as strings: first `task.profileFields` in that order (when a
    /// task is given), then the others by name. `user_id` is written only when set.
    ///
    /// - Parameters:
    ///   - questions: the questions, in the order to write.
    ///   - task: orders the profile fields; nil sorts them by name.
    ///   - file: where to write.
    ///   - asciiOnly: escape non-ASCII as `\uXXXX`.
    /// - Throws: `LaMPDataError.unwritableFile` when the file cannot be written.
    public static func writeQuestions(
        _ questions: [Question], task: LaMPTask? = nil, to file: URL, asciiOnly: Bool = false
    ) throws {
        let first = task?.profileFields ?? []
        var w = JSONTextWriter(asciiOnly: asciiOnly)
        w.raw("[")
        for (i, question) in questions.enumerated() {
            if i > 0 { w.raw(", ") }
            w.raw("{")
            w.key("id")
            w.string(question.id)
            w.raw(", ")
            w.key("input")
            w.string(question.input)
            w.raw(", ")
            w.key("profile")
            w.raw("[")
            for (j, item) in question.profile.enumerated() {
                if j > 0 { w.raw(", ") }
                w.raw("{")
                w.key("id")
                w.string(item.id)
                let names = first.filter { item.fields[$0] != nil }
                    + item.fields.keys.filter { !first.contains($0) }.sorted()
                for name in names {
                    w.raw(", ")
                    w.key(name)
                    w.string(item.fields[name] ?? "")
                }
                w.raw("}")
            }
            w.raw("]")
            if let userID = question.userID {
                w.raw(", ")
                w.key("user_id")
                w.string(userID)
            }
            w.raw("}")
        }
        w.raw("]")
        try writeAtomically(w.bytes, to: file)
    }

    /// Writes `bytes` to a temporary file beside `file`, then renames it over `file`.
    static func writeAtomically(_ bytes: [UInt8], to file: URL) throws {
        let directory = file.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).tmp-\(UUID().uuidString)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw LaMPDataError.unwritableFile(file: file.path, reason: String(cString: strerror(errno)))
        }
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary.path, file.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw LaMPDataError.unwritableFile(file: file.path, reason: failure)
        }
    }
}
