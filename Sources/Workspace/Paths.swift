import Foundation

/// Where the workbench keeps files outside the repository.
///
/// Everything large or generated (model files, demo datasets, session databases) lives under the
/// user's cache directory, never in the repo.
public enum Paths {
    /// `$XDG_CACHE_HOME/hydra-workbench`, else `$HOME/.cache/hydra-workbench`; the passwd home
    /// (`NSHomeDirectory()`) only when `HOME` is unset or empty. `scripts/setup.sh` and the tests
    /// (`ReferenceData.modelsDirectory`) go through here too, so all of them find the same files.
    public static func cacheRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.cache"
        return URL(fileURLWithPath: base).appendingPathComponent("hydra-workbench")
    }

    /// The model folder: `HYDRA_MODELS` when set, else `<cache root>/models`.
    public static func modelsDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["HYDRA_MODELS"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return cacheRoot(environment: environment).appendingPathComponent("models")
    }

    /// Where generated demo datasets go: `<cache root>/demo`.
    public static func demoDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        cacheRoot(environment: environment).appendingPathComponent("demo")
    }
}
