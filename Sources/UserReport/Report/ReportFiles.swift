import WorkbenchAPI

/// The names of the report's files inside its directory.
enum ReportFiles {
    /// The Markdown; named README.md so a code-hosting site shows it when the folder is opened.
    static let markdown = "README.md"
    static let loss = "loss.svg"
    static let preference = "preference.svg"
    static let coldStart = "coldstart.svg"
    static func headMap(_ scorer: HeadScorer) -> String { "headmap-\(scorer.rawValue).svg" }
}
