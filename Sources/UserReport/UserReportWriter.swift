import Foundation
import WorkbenchAPI

/// Why a report could not be written; each case names the path.
public enum UserReportError: Error, CustomStringConvertible, Equatable {
    case notADirectory(path: String)
    case cannotCreateDirectory(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// The directory already holds a Markdown file of that name that is not an earlier report.
    case wouldOverwrite(path: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): "report directory \(path) is a file, not a directory"
        case .cannotCreateDirectory(let path, let reason): "cannot create report directory \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write report file \(path): \(reason)"
        case .wouldOverwrite(let path): "\(path) exists and is not a user report; choose another directory"
        }
    }
}

/// Writes one user's report: a Markdown file with SVG charts beside it, readable on a
/// code-hosting site and in a browser without any tool.
public enum UserReportWriter {
    /// One file of the report.
    public struct File: Sendable, Hashable {
        public var name: String
        public var contents: String
    }

    /// The report's files, Markdown first, then a chart for each part of `data` that has one
    /// (loss curves, learned preference, cold start curve, head maps).
    public static func files(for data: UserReportData) -> [File] {
        var charts: [File] = []
        if let chart = ReportCharts.losses(data) { charts.append(File(name: ReportFiles.loss, contents: chart.svg())) }
        if let chart = ReportCharts.preference(data) {
            charts.append(File(name: ReportFiles.preference, contents: chart.svg()))
        }
        if let chart = ReportCharts.coldStart(data) {
            charts.append(File(name: ReportFiles.coldStart, contents: chart.svg()))
        }
        for map in data.headMaps {
            let chart = ReportCharts.headMap(map, user: data.user.id)
            charts.append(File(name: ReportFiles.headMap(map.scorer), contents: chart.svg()))
        }
        let markdown = ReportMarkdown(data: data, charts: Set(charts.map(\.name))).render()
        return [File(name: ReportFiles.markdown, contents: markdown)] + charts
    }

    /// Writes the report into `directory` (created if missing; files of an earlier report there
    /// are replaced, but never a README.md that is not one) and returns the files written,
    /// Markdown first.
    /// - Throws: `UserReportError` naming the directory or file that failed.
    @discardableResult
    public static func write(_ data: UserReportData, to directory: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw UserReportError.notADirectory(path: directory.path) }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw UserReportError.cannotCreateDirectory(
                    path: directory.path, reason: creationFailure(directory, error))
            }
        }
        let markdown = directory.appendingPathComponent(ReportFiles.markdown)
        if let existing = FileManager.default.contents(atPath: markdown.path),
            !existing.starts(with: Data(ReportMarkdown.titlePrefix.utf8))
        {
            throw UserReportError.wouldOverwrite(path: markdown.path)
        }
        // the charts before the Markdown, so a report never links a chart that failed to write
        let files = files(for: data)
        let urls = try (files.dropFirst() + files.prefix(1)).map { try write($0, into: directory) }
        return [urls[urls.count - 1]] + urls.dropLast()
    }

    private static func write(_ file: File, into directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(file.name)
        do {
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        } catch {
            throw UserReportError.cannotWrite(path: url.path, reason: writeFailure(url, error))
        }
        return url
    }

    /// Why `directory` could not be created, in words: Foundation on Linux only says "error 512".
    private static func creationFailure(_ directory: URL, _ error: Error) -> String {
        var parent = directory.standardizedFileURL.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: parent.path), parent.path != "/" {
            parent = parent.deletingLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(parent.path) is a file"
        }
        if !FileManager.default.isWritableFile(atPath: parent.path) { return "\(parent.path) is not writable" }
        return error.localizedDescription
    }

    /// Why `url` could not be written, in words where the cause is plain.
    private static func writeFailure(_ url: URL, _ error: Error) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "a directory of that name is in the way"
        }
        if !FileManager.default.isWritableFile(atPath: url.deletingLastPathComponent().path) {
            return "the directory is not writable"
        }
        return error.localizedDescription
    }
}
