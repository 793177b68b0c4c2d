import ArgumentParser
import Foundation

/// How a command picks its session: a session file, a LaMP directory, or the default demo session.
struct SessionOptions: ParsableArguments {
    @Option(help: "A session file (Sessions/*.json).")
    var session: String?

    @Option(help: "A LaMP dataset directory (instead of a session file).")
    var data: String?

    @Option(help: "The LaMP task (LaMP_1 … LaMP_7, LaMP_2N) when it cannot be read from the data.")
    var task: String?

    @Option(help: "The colour theme (a name from Themes/, or a path to a theme JSON file).")
    var theme: String?

    @Option(help: "Which kept run to show (an id from `hydra session show`; default: the newest).")
    var run: String?

    func validate() throws {
        if session != nil && data != nil {
            throw ValidationError("--session and --data are alternatives; give one")
        }
    }
}
