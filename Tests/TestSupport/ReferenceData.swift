import Foundation

/// Locates the oracle files in `Tests/Fixtures/reference/` (copies kept in the repository), which
/// tests read and never copy into source code.
public enum ReferenceData {
    /// The project root: the folder holding `Package.swift`, found upward from this source file.
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        preconditionFailure("Package.swift not found above \(#filePath)")
    }()

    /// `Tests/Fixtures/reference/NAME` under the project root, or `HYDRA_REFERENCE/NAME` when that
    /// variable is set.
    public static func url(_ name: String) -> URL {
        if let dir = ProcessInfo.processInfo.environment["HYDRA_REFERENCE"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).appendingPathComponent(name)
        }
        return projectRoot.appendingPathComponent("Tests/Fixtures/reference/\(name)")
    }

    /// The decoded JSON object of a reference file.
    public static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: url(name))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The folder the model files are unpacked into (same rule as the app:
    /// `HYDRA_MODELS`, else `${XDG_CACHE_HOME:-~/.cache}/hydra-workbench/models`).
    public static var modelsDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["HYDRA_MODELS"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache")
        return URL(fileURLWithPath: cache).appendingPathComponent("hydra-workbench/models")
    }
}
