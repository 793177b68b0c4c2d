import ArgumentParser
import Foundation

/// `hydra`: the workbench (no subcommand) and its scriptable CLI.
@main
struct Hydra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hydra",
        abstract: "HYDRA Workbench: see, per user, what LLM personalization does and why.",
        discussion: """
            With no subcommand, opens the workbench on a session (the demo session by default).
            """,
        subcommands: [
            ModelsCommand.self,
        ]
    )

    @OptionGroup var session: SessionOptions

    func run() async throws {
        try await Workbench.open(session)
    }
}
