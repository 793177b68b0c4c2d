import DemoData
import Foundation
import LaMP

/// Turns a session's data source into a LaMP directory on disk.
///
/// Demo data is generated on first use into the cache, under a folder named by the whole spec,
/// so a changed spec never reuses stale files. Generation writes to a temporary folder and
/// renames it into place, so an interrupted run leaves nothing half-written behind.
public struct SessionResolver: Sendable {
    /// Where demo datasets are kept.
    public var demoRoot: URL

    public init(demoRoot: URL = Paths.demoDirectory()) {
        self.demoRoot = demoRoot
    }

    /// The LaMP directory of a session, generating demo data if needed.
    /// - Parameters:
    ///   - config: the session.
    ///   - sessionFile: the session file, against whose folder a relative `data.path` is resolved.
    ///   - log: one line per step taken (nothing when the data is already there).
    public func dataDirectory(for config: SessionConfig, sessionFile: URL?, log: (String) -> Void = { _ in }) throws -> URL {
        switch config.data {
        case .path(let path):
            if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
            let base = sessionFile?.deletingLastPathComponent()
                ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            return base.appendingPathComponent(path).standardizedFileURL
        case .demo(let spec):
            return try demoDirectory(for: spec, log: log)
        }
    }

    /// The folder of a generated demo dataset, generated now when missing.
    public func demoDirectory(for spec: DemoSpec, log: (String) -> Void = { _ in }) throws -> URL {
        let name = "\(spec.task.rawValue)-u\(spec.users)-s\(spec.seed)-p\(spec.profileSize.lowerBound)_\(spec.profileSize.upperBound)"
            + "-q\(spec.questionsPerUser)-t\(Int((spec.trainFraction * 1000).rounded()))"
        let directory = demoRoot.appendingPathComponent(name, isDirectory: true)
        let fm = FileManager.default
        if fm.fileExists(atPath: directory.appendingPathComponent(DemoGenerator.usersFileName).path) {
            return directory
        }
        log("generating demo data (\(spec.task.rawValue), \(spec.users) users, seed \(spec.seed)) into \(directory.path)")
        try fm.createDirectory(at: demoRoot, withIntermediateDirectories: true)
        let scratch = demoRoot.appendingPathComponent(".\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: scratch)
        _ = try DemoGenerator(spec: spec).write(to: scratch)
        if fm.fileExists(atPath: directory.path) { try fm.removeItem(at: directory) }
        do {
            try fm.moveItem(at: scratch, to: directory)
        } catch where fm.fileExists(atPath: directory.appendingPathComponent(DemoGenerator.usersFileName).path) {
            // Another process generated the same spec at the same moment; its copy is identical.
            try? fm.removeItem(at: scratch)
        }
        return directory
    }
}
