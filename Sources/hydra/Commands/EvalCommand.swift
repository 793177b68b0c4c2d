import ArgumentParser
import Foundation
import LaMP

/// `hydra eval`: LaMP's metrics on a predictions file, computed as the LaMP evaluator does.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score predictions against golds with LaMP's metrics (accuracy/f1, mae/rmse, rouge-1/rouge-L).")

    @Option(help: "The LaMP task (LaMP_1 … LaMP_7, LaMP_2N).") var task: String
    @Option(help: "The golds file (LaMP outputs format).") var golds: String
    @Option(help: "The predictions file (LaMP outputs format).") var preds: String
    @Flag(help: "Print JSON: {task, n, metrics}.") var json = false

    func run() async throws {
        try await CLI.guarded {
            let task = try LaMPTask.parse(self.task, file: "--task")
            let golds = try LaMPOutputsReader.load(file: URL(fileURLWithPath: self.golds))
            let predictions = try LaMPOutputsReader.load(file: URL(fileURLWithPath: preds))
            let metrics = try LaMPEvaluator.evaluate(task: task, golds: golds.golds, predictions: predictions.golds)
            if json {
                struct Output: Encodable { var task: String; var n: Int; var metrics: [String: Double] }
                return try CLI.printJSON(Output(task: task.rawValue, n: golds.golds.count, metrics: metrics))
            }
            var table = TextTable(header: ["metric", "value"], rightAligned: [1])
            for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
                table.rows.append([name, String(format: "%.4f", value)])
            }
            CLI.show("\(task.rawValue), \(golds.golds.count) examples\n" + table.render())
        }
    }
}
