import ArgumentParser
import Basics
import Foundation

/// `hydra`: the workbench (no subcommand, or `open`) and its scriptable CLI.
@main
struct Hydra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hydra",
        abstract: "HYDRA Workbench: see, per user, what LLM personalization does and why.",
        discussion: """
            With no subcommand, opens the workbench on a session (the demo session by default): \
            `hydra [--session FILE | --data DIR [--task T]] [--theme NAME]`.
            """,
        subcommands: [
            OpenCommand.self, ModelsCommand.self, DataCommand.self, RetrieveCommand.self, EmbedCommand.self, TokenizeCommand.self, GenerateCommand.self, ServeCommand.self, RunCommand.self, InspectCommand.self, HeadsCommand.self, RefitCommand.self, ColdStartCommand.self, ReportCommand.self, SessionCommand.self, EvalCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: OpenCommand.self
    )

    /// ArgumentParser's own entry point, after the process-wide memory setting.
    static func main() async {
        ProcessMemory.returnLargeBlocksWhenFreed()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// `hydra open` (the default): the TUI.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open the workbench TUI (the default when no subcommand is given).")

    @OptionGroup var session: SessionOptions

    func run() async throws {
        try await CLI.guarded { try await Workbench.open(session) }
    }
}
