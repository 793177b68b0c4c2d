import Foundation
import LaMP
import Workspace

/// A run's LaMP data: the directory it was read from and the train and dev splits.
public struct LoadedData: Sendable {
    public let directory: URL
    public let dataset: LaMPDataset

    public init(directory: URL, dataset: LaMPDataset) {
        self.directory = directory
        self.dataset = dataset
    }

    /// Resolves the source's data and loads the splits a run uses.
    /// - Parameters:
    ///   - task: the task when the data cannot name it (a flag wins over the session's).
    ///   - progress: bytes read and total.
    ///   - log: one line per step taken to find the data.
    public static func load(
        _ source: RunSource, task: LaMPTask?, demoRoot: URL, progress: LaMPLoadProgress? = nil,
        log: (String) -> Void = { _ in }
    ) throws -> LoadedData {
        try load(directory: directory(of: source, demoRoot: demoRoot, log: log), task: task ?? source.session?.task, progress: progress)
    }

    /// The LaMP directory of a source, generating demo data on first use.
    public static func directory(of source: RunSource, demoRoot: URL, log: (String) -> Void = { _ in }) throws -> URL {
        switch source {
        case .session(let session, let file):
            return try SessionResolver(demoRoot: demoRoot).dataDirectory(for: session, sessionFile: file, log: log)
        case .data(let url):
            return url.standardizedFileURL
        }
    }

    /// Loads the train and dev splits of `directory`.
    public static func load(directory: URL, task: LaMPTask?, progress: LaMPLoadProgress? = nil) throws -> LoadedData {
        LoadedData(directory: directory, dataset: try LaMPDataset.load(directory: directory, task: task, splits: [.train, .dev], progress: progress))
    }

    /// Sizes and names of the dataset's files, hashed: tells a re-run that the data changed.
    public var fingerprint: String {
        var h = Hasher64()
        for split in dataset.splits {
            for file in [split.questionsFile, split.outputsFile].compactMap({ $0 }) {
                h.add(file.lastPathComponent)
                let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
                h.add(String((attributes?[.size] as? Int) ?? 0))
            }
            h.add(String(split.questions.count))
        }
        return h.hex
    }
}
