import CursesTerminal
import EngineBackend
import Foundation
import LaMP
import TUI
import Workspace

/// Opens the workbench TUI on the session the options name.
enum Workbench {
    static func open(_ options: SessionOptions) async throws {
        let (config, file) = try await resolveSession(options)
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw CLIError("the workbench needs a terminal (stdin and stdout are not a TTY); see `hydra --help` for the scriptable commands")
        }
        let themesDirectory = Resources.directory("Themes")
        var (themes, problems) = themesDirectory.map { Theme.loadAll(in: $0) } ?? ([], [])
        if themes.isEmpty { themes = [Theme.defaultDark] }
        var theme = themes.first { $0.name == "default-dark" } ?? themes[0]
        var warning = problems.first.map { "\($0); skipped" }
        if let name = options.theme {
            if name.contains("/") {
                do { theme = try Theme.load(contentsOf: URL(fileURLWithPath: name)) } catch {
                    warning = "\(error.description); using default theme"
                }
            } else if let found = themes.first(where: { $0.name == name }) {
                theme = found
            } else {
                warning = "no theme named \"\(name)\" (have: \(themes.map(\.name).joined(separator: ", "))); using \(theme.name)"
            }
        }
        let backend = EngineWorkbenchBackend(source: source(config, file: file, options), overrides: RunOverrides(run: options.run))
        try await WorkbenchApp.run(terminal: CursesTerminal(), backend: backend, theme: theme, themes: themes,
                                   statusMessage: warning, sessionName: config.name)
    }

    /// What the engine backend runs on: the session, or for `--data` the bare directory, so the
    /// workbench and `hydra run --data` share one session store.
    static func source(_ config: SessionConfig, file: URL?, _ options: SessionOptions) -> RunSource {
        if let data = options.data { return .data(URL(fileURLWithPath: data).standardizedFileURL) }
        return .session(config, file: file)
    }

    /// The session named by `--session` or `--data`, else `Sessions/demo-movies.json`, else the
    /// built-in copy of it (so the binary works from any folder).
    static func resolveSession(_ options: SessionOptions) async throws -> (SessionConfig, URL?) {
        if let path = options.session {
            let url = URL(fileURLWithPath: path)
            var config = try SessionFile.load(url)
            if let task = options.task { config.task = try LaMPTask.parse(task, file: "--task") }
            return (config, url)
        }
        if let data = options.data {
            let url = URL(fileURLWithPath: data).standardizedFileURL
            let task = try options.task.map { try LaMPTask.parse($0, file: "--task") }
            return (SessionConfig(name: url.lastPathComponent, data: .path(url.path), task: task), nil)
        }
        if let url = Resources.directory("Sessions")?.appendingPathComponent(DefaultSession.fileName),
           FileManager.default.fileExists(atPath: url.path) {
            return (try SessionFile.load(url), url)
        }
        return (DefaultSession.config, nil)
    }
}

/// Finds the repository's resource folders (`Themes/`, `Sessions/`) at run time: `HYDRA_HOME`,
/// the current folder, or the checkout the binary was built in (`.build/<config>/hydra`).
enum Resources {
    static func directory(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["HYDRA_HOME"] {
            candidates.append(URL(fileURLWithPath: home))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent())
        for base in candidates {
            let url = base.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url
            }
        }
        return nil
    }
}
