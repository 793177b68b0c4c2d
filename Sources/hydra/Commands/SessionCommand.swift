import ArgumentParser
import EngineBackend
import Foundation
import SessionStore
import Workspace

/// `hydra session list|show|export`: the session stores under `<cache>/sessions`.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "List, show or export session stores (caches, weights, losses, results).",
        subcommands: [SessionListCommand.self, SessionShowCommand.self, SessionExportCommand.self])

    /// Where `hydra run` keeps session stores.
    static var root: URL { Paths.cacheRoot().appendingPathComponent("sessions") }

    /// The kept runs, newest first: id, when, settings, and the first metric (the task's primary
    /// one: accuracy, mae, rouge-1) of hydra, rag and hydra-base. `--run ID` picks one in
    /// `hydra inspect` and the workbench.
    static func runsTable(_ runs: [RunSummary]) -> String {
        let present = Set(runs.flatMap(\.headline.keys))
        // HYDRA against the baselines it is judged by; `--json` has every method
        let headline = ["hydra", "rag", "hydra-base"].filter(present.contains)
        let methods = headline.isEmpty ? present.sorted() : headline
        let metric = runs.lazy.flatMap { $0.headline.values.flatMap(\.keys) }.min() ?? ""
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd HH:mm"
        var table = TextTable(header: ["run", "finished", "settings"] + methods.map { "\($0) \(metric)" },
                              rightAligned: Set(3..<(3 + methods.count)))
        let lines = RunSettings.distinguishingLines(runs.map { RunSettings.decode(storedJSON: $0.settings) })
        for (run, settings) in zip(runs, lines) {
            table.rows.append([String(run.id.prefix(12)), dates.string(from: run.finishedAt), settings]
                + methods.map { method in run.headline[method]?[metric].map { String(format: "%.4f", $0) } ?? "-" })
        }
        return "runs (newest first; `hydra inspect --run ID` reads one, the workbench the newest):\n" + table.render()
    }

    /// A session named NAME under the root, or a session directory path.
    static func open(_ nameOrPath: String) throws -> SessionStore {
        let direct = URL(fileURLWithPath: nameOrPath)
        let directory = SessionStore.exists(at: direct) ? direct : root.appendingPathComponent(nameOrPath)
        guard SessionStore.exists(at: directory) else {
            throw CLIError("no session store named \(nameOrPath) (looked in \(root.path)); `hydra session list` shows them")
        }
        return try SessionStore(directory: directory)
    }
}

struct SessionListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List session stores.")
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.guarded {
            let summaries = try SessionStore.sessions(under: SessionCommand.root).map { try SessionStore(directory: $0).summary() }
            if json { return try CLI.printJSON(summaries) }
            var table = TextTable(header: ["session", "LLM calls", "embeddings", "weights", "methods"], rightAligned: [1, 2, 3, 4])
            for s in summaries {
                table.rows.append([s.name, "\(s.cachedGenerations)", "\(s.embeddings)", "\(s.weights.count)", "\(s.methods.count)"])
            }
            CLI.show(summaries.isEmpty ? "no sessions under \(SessionCommand.root.path)" : table.render())
        }
    }
}

struct SessionShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one session store.")
    @Argument(help: "A session name (see `hydra session list`) or directory.") var session: String
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await CLI.guarded {
            let s = try SessionCommand.open(session).summary()
            if json { return try CLI.printJSON(s) }
            CLI.show("session \(s.name) (\(s.path)), schema v\(s.schemaVersion)")
            CLI.show("dataset fingerprint \(s.datasetFingerprint ?? "-"); \(s.cachedGenerations) cached LLM calls; \(s.embeddings) embeddings")
            for w in s.weights { CLI.show("weights \(w.name): \(w.file) (\(w.bytes) bytes)") }
            CLI.show("loss histories: \(s.lossPhases.count) phases")
            let metrics = Array(Set(s.methods.values.flatMap(\.keys))).sorted()
            if !metrics.isEmpty {
                CLI.show("latest run:")
                var table = TextTable(header: ["method"] + metrics, rightAligned: Set(1...metrics.count))
                for (method, values) in s.methods.sorted(by: { $0.key < $1.key }) {
                    table.rows.append([method] + metrics.map { values[$0].map { String(format: "%.4f", $0) } ?? "" })
                }
                CLI.show(table.render())
            }
            if !s.runs.isEmpty { CLI.show("\n" + SessionCommand.runsTable(s.runs)) }
        }
    }
}

struct SessionExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a session's config, losses and results as JSON.")
    @Argument(help: "A session name or directory.") var session: String
    @Option(help: "Write to this file instead of stdout.") var out: String?

    func run() async throws {
        try await CLI.guarded {
            let data = try SessionCommand.open(session).exportJSON()
            if let out {
                try data.write(to: URL(fileURLWithPath: out))
            } else {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
