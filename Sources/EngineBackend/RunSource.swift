import Foundation
import Workspace

/// Where a run's data and settings come from.
public enum RunSource: Sendable, Equatable {
    /// A session (from `Sessions/*.json`, or built in); `file` resolves a relative data path.
    case session(SessionConfig, file: URL?)
    /// A bare LaMP directory: engine defaults and flags only.
    case data(URL)

    /// The session, if there is one.
    public var session: SessionConfig? {
        if case .session(let config, _) = self { return config }
        return nil
    }

    /// The name shown for the run, and the name of its session store.
    public var name: String {
        switch self {
        case .session(let config, _):
            return config.name
        case .data(let directory):
            // kept exactly as `hydra run --data` has always named it, so existing stores are found
            var h = Hasher64()
            h.add(directory.standardizedFileURL.path)
            return "data-" + directory.standardizedFileURL.lastPathComponent + "-" + h.hex.prefix(8)
        }
    }

    /// The session store's folder under the cache root: `<cache>/sessions/<name>`.
    public func storeDirectory(cacheRoot: URL) -> URL {
        cacheRoot.appendingPathComponent("sessions").appendingPathComponent(name)
    }
}
