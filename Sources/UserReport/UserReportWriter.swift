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
                throw UserReportError.cannotCreateDirectory(path: directory.path, reason: reason(error))
            }
        }
        let markdown = directory.appendingPathComponent(ReportFiles.markdown)
        if let existing = FileManager.default.contents(atPath: markdown.path),
            !existing.starts(with: Data(ReportMarkdown.titlePrefix.utf8))
        {
            throw UserReportError.wouldOverwrite(path: markdown.path)
        }
        return try files(for: data).map { file in
            let url = directory.appendingPathComponent(file.name)
            do {
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            } catch {
                throw UserReportError.cannotWrite(path: url.path, reason: reason(error))
            }
            return url
        }
    }

    /// The underlying POSIX message where there is one ("Permission denied"), else the error's text.
    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        return error.localizedDescription
    }
}
