import ArgumentParser
import Encoder
import EngineBackend
import Foundation
import LaMP
import OpenAIClient
import WorkbenchAPI

/// `hydra inspect`: the reranker debugger on the command line. One question of a session that
/// has been run: its BM25, base and personal rankings, the BM25 breakdown, how much the rankings
/// agree, the candidates under both adapter heads, and each method's answer; or one
/// counterfactual on an item.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show why a run answered one question as it did (rankings, BM25 terms, candidates, outputs).",
        discussion: """
            The session must have been run (`hydra run`, or `r` in the workbench): inspection uses its \
            saved models and settings, and LLM calls come from its cache, so a question the run answered \
            costs no new call.
            """)

    @OptionGroup var sessionOptions: SessionOptions
    @Option(help: "The question id.") var question: String
    @Option(help: "Run one counterfactual on an item of the question: item-alone or leave-out (needs --item).")
    var counterfactual: String?
    @Option(help: "The item of --counterfactual (a retrieved item's id).") var item: String?
    @Option(help: "embedded, or the base URL of the OpenAI-compatible server the run used (default: the session's).")
    var llm: String?
    @Option(help: "The model name for --llm URL.") var model: String?
    @Option(help: "Seconds one request to the --llm server may take before it is retried (default \(Int(OpenAIClientConfiguration.defaultRequestTimeout))).")
    var llmTimeout: Double?
    @Option(help: "minilm or hashing: the encoder the run used (default: the session's).") var encoder: String?
    @Option(help: "exact or int8: the embedded model's precision the run used (default: the session's, else int8).")
    var precision: String?
    @Flag(help: "Print the report as JSON (the workbench's QuestionReport, or CounterfactualReport).") var json = false

    func validate() throws {
        if sessionOptions.session == nil && sessionOptions.data == nil { throw ValidationError("give --session FILE or --data DIR") }
        if let counterfactual {
            guard CounterfactualKind(rawValue: counterfactual) != nil else {
                let kinds = CounterfactualKind.allCases.map(\.rawValue).joined(separator: " or ")
                throw ValidationError("--counterfactual must be \(kinds), not \"\(counterfactual)\"")
            }
            guard item != nil else { throw ValidationError("--counterfactual needs --item ID") }
        } else if item != nil {
            throw ValidationError("--item is for --counterfactual; give both")
        }
        if timeRepeats < 0 { throw ValidationError("--time-repeats must be 0 or more, not \(timeRepeats)") }
        try CLI.validateLLMTimeout(llmTimeout)
        _ = try CLI.parsePrecision(precision)
        if let encoder, SentenceEncoderKind(rawValue: encoder) == nil {
            throw ValidationError("--encoder must be minilm or hashing, not \"\(encoder)\"")
        }
    }

    @Option(parsing: .unconditional, help: "Inspect the question this many more times and print how long each took on stderr.")
    var timeRepeats: Int = 0

    func run() async throws {
        try await CLI.guarded {
            let (config, file) = try await Workbench.resolveSession(sessionOptions)
            var overrides = RunOverrides()
            overrides.task = try sessionOptions.task.map { try LaMPTask.parse($0, file: "--task") }
            overrides.llm = llm
            overrides.model = model
            overrides.llmTimeout = llmTimeout
            overrides.precision = try CLI.parsePrecision(precision)
            overrides.encoder = encoder.flatMap(SentenceEncoderKind.init(rawValue:))
            overrides.run = sessionOptions.run
            let backend = EngineWorkbenchBackend(
                source: Workbench.source(config, file: file, sessionOptions), overrides: overrides,
                environment: .standard(onLLMRetry: { CLI.note($0.description) }))
            let progress: @Sendable (JobEvent) -> Void = { event in
                if case .note(let line) = event { CLI.note(line) }
            }
            if let counterfactual, let kind = CounterfactualKind(rawValue: counterfactual), let item {
                let report = try await backend.counterfactual(questionID: question, itemID: item, kind: kind, emit: progress)
                if json { return try CLI.printJSON(report) }
                CLI.show(QuestionReportText.counterfactual(report))
                return
            }
            let start = Date()
            let report = try await backend.inspect(questionID: question, emit: progress)
            if timeRepeats > 0 {
                // what the workbench costs per question once the session is open and the model loaded
                var times: [Double] = []
                for _ in 0..<timeRepeats {
                    let again = Date()
                    _ = try await backend.inspect(questionID: question, emit: progress)
                    times.append(Date().timeIntervalSince(again) * 1000)
                }
                times.sort()
                CLI.note(String(format: "inspect: first %.0f ms (loads the model), then median %.1f ms, max %.1f ms over %d", Date().timeIntervalSince(start) * 1000 - times.reduce(0, +), times[times.count / 2], times.last ?? 0, times.count))
            }
            if json { return try CLI.printJSON(report) }
            CLI.show(QuestionReportText.report(report))
        }
    }
}
