import Foundation
import Workspace

/// Locates the oracle files in `Tests/Fixtures/reference/` (copies kept in the repository, made by
/// `scripts/fixtures/regenerate`), which tests read and never copy into source code.
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

    /// The folder the model files are unpacked into. It is the app's own rule
    /// (`Workspace.Paths.modelsDirectory`), so the tests read exactly the files `hydra models fetch`
    /// wrote: `HYDRA_MODELS`, else `$XDG_CACHE_HOME/hydra-workbench/models`, else
    /// `$HOME/.cache/hydra-workbench/models` (the passwd home only when `HOME` is unset).
    public static var modelsDirectory: URL { Paths.modelsDirectory() }
}
