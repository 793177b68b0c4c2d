import Foundation

/// Why the results folder cannot be used, found before a run starts.
public struct ResultsOutputError: Error, Equatable, CustomStringConvertible {
    /// The folder the results were to go to.
    public var path: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "results folder \(path): \(reason)" }
}

extension ResultsReport {
    /// Makes sure `write(_:task:to:)` will be able to write into `directory`: creates it (and its
    /// `predictions` folder) and writes and removes a probe file. A run takes minutes to hours,
    /// so an output path that is a file or unwritable must fail before the first stage, not
    /// after the last.
    /// - Throws: `ResultsOutputError` naming the path and the reason.
    public static func prepareOutputDirectory(_ directory: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ResultsOutputError(path: directory.path, reason: "is a file, expected a folder")
        }
        do {
            try fm.createDirectory(at: directory.appendingPathComponent("predictions"), withIntermediateDirectories: true)
        } catch {
            throw ResultsOutputError(path: directory.path, reason: "cannot create it (\(whyNotCreatable(directory, error)))")
        }
        for name in ["results.md", "results.csv", "results.json", "predictions"] {
            let item = directory.appendingPathComponent(name)
            var itemIsDirectory: ObjCBool = false
            guard fm.fileExists(atPath: item.path, isDirectory: &itemIsDirectory) else { continue }
            if itemIsDirectory.boolValue != (name == "predictions") {
                throw ResultsOutputError(
                    path: directory.path,
                    reason: "\(name) is a \(itemIsDirectory.boolValue ? "folder" : "file") in the way of the results")
            }
        }
        let probe = directory.appendingPathComponent(".hydra-write-check-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data().write(to: probe)
            try fm.removeItem(at: probe)
        } catch {
            throw ResultsOutputError(path: directory.path, reason: "not writable (\(reason(error)))")
        }
    }

    /// Why `directory` could not be created, said by its nearest existing ancestor: a file in
    /// the way, or a folder without write permission (Foundation's own error is a bare code).
    private static func whyNotCreatable(_ directory: URL, _ error: Error) -> String {
        let fm = FileManager.default
        var ancestor = directory.deletingLastPathComponent()
        while ancestor.path != "/" && !fm.fileExists(atPath: ancestor.path) {
            ancestor = ancestor.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(ancestor.path) is a file, not a folder"
        }
        if !fm.isWritableFile(atPath: ancestor.path) { return "no permission to write in \(ancestor.path)" }
        return reason(error)
    }

    /// The POSIX reason of a Foundation file error ("Permission denied"), else its description.
    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
