import ArgumentParser
import Basics
import Encoder
import EngineBackend
import Foundation
import HydraEngine
import LaMP
import OpenAIClient
import Training
import Workspace

/// The engine's defaults, which the help quotes (the task changes none of them).
private let engineDefaults = HydraConfig(task: .movieTag)

/// `hydra run`: the whole HYDRA pipeline and its baselines on a LaMP directory or a session.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run HYDRA and its baselines (extractive, zero-shot, icl-random, rag, hydra-reranker, hydra-adapter, hydra, hydra-base, hydra-gated).",
        discussion: """
            Training users come from the train split, evaluation users from the dev split. LLM calls, \
            embeddings and trained weights are kept in the session store (<cache>/sessions/<name>), so a \
            re-run of the same command reuses them; Ctrl-C stops cleanly and a re-run resumes.
            """)

    @Option(help: "A session file (Sessions/*.json).") var session: String?
    @Option(help: "A LaMP dataset directory (instead of a session file).") var data: String?
    @Option(help: "The LaMP task, when it cannot be read from the data.") var task: String?
    @Option(parsing: .unconditional, help: "Training users (first N of the train split).") var trainUsers: Int?
    @Option(parsing: .unconditional, help: "Evaluation users (first M of the dev split).") var evalUsers: Int?
    @Option(parsing: .unconditional, help: "Items retrieved per query (default \(engineDefaults.retrieval.k)).") var k: Int?
    @Option(parsing: .unconditional, help: "Items in the prompt (default \(engineDefaults.retrieval.r)).") var r: Int?
    @Option(parsing: .unconditional, help: "Items labelled by the LLM per training query (default \(engineDefaults.labelling.labelK ?? engineDefaults.retrieval.k); at most k).")
    var labelK: Int?
    @Option(parsing: .unconditional, help: "Samples per prompt for the adapter (default \(engineDefaults.sampling.n)).") var n: Int?
    @Option(help: "minilm or hashing (default minilm).") var encoder: String?
    @Option(help: "embedded, or the base URL of an OpenAI-compatible server (…/v1).") var llm: String?
    @Option(help: "The model name for --llm URL (default: the session's, else \"\(LLMChoice.defaultModelName)\").")
    var model: String?
    @Option(help: "Seconds one request to the --llm server may take before it is retried (default \(Int(OpenAIClientConfiguration.defaultRequestTimeout))).")
    var llmTimeout: Double?
    @Option(help: CLI.precisionHelp) var precision: String?
    @Option(parsing: .unconditional, help: "Seed of sampling, random ICL items and training.") var seed: UInt64?
    @Option(help: "Comma-separated methods (default: all).") var methods: String?
    @Option(parsing: .unconditional, help: "Pseudo-queries per evaluation user (their head's only data; default \(engineDefaults.labelling.pseudoQueriesPerEvalUser)).")
    var pseudoQueries: Int?
    @Option(parsing: .unconditional, help: "Pseudo-queries per training user (default \(engineDefaults.labelling.pseudoQueriesPerTrainUser)).")
    var trainPseudoQueries: Int?
    @Option(help: "An evaluation user's head before fitting: `global` (a copy of the global head; default) or `fresh` (as HYDRA.md describes).")
    var headInit: String?
    @Option(help: "Widths of the shared base MLP, comma-separated (default \(engineDefaults.training.baseWidths.map(String.init).joined(separator: ","))); `none` puts the heads on the pair features, which makes each head 1538×1538 (GBs of training memory for 36 users).")
    var baseWidths: String?
    @Option(parsing: .unconditional, help: "Epochs of every personal head's fit (default: chosen per scorer from \(engineDefaults.selection.fitEpochs.map(String.init).joined(separator: "/")) on the evaluation users' held-out pseudo-queries; \(engineDefaults.training.fit.epochs) without selection).")
    var fitEpochs: Int?
    @Option(parsing: .unconditional, help: "Learning rate of every personal head's fit (default: chosen per scorer from \(engineDefaults.selection.fitLearningRates.map { String($0) }.joined(separator: "/")); \(engineDefaults.training.fit.learningRate) without selection).")
    var fitLearningRate: Float?
    @Option(help: "Generation tasks: adapter labels `gold` (the N candidates negative, the gold positive), `rouge` (candidates above their mean ROUGE positive) or `listwise` (softmax over a prompt's candidates, the best by ROUGE the target); default: chosen on held-out training users, else \(HydraConfig.LabellingConfig.defaultAdapterLabels.rawValue).")
    var adapterLabels: String?
    @Option(parsing: .unconditional, help: "Temperature of the N samples, generation tasks (default \(engineDefaults.sampling.temperature)).") var temperature: Double?
    @Option(parsing: .unconditional, help: "Top-p of the N samples, generation tasks (default \(engineDefaults.sampling.topP)).") var topP: Double?
    @Flag(help: "Score the LLM's raw text: no answer normaliser (strict comparison with the reference code).") var rawAnswers = false
    @Flag(help: "No held-out model selection: the adapter trains with the given or default labels, epochs and learning rate, and the personal heads fit with the given or default fit setting.")
    var noSelection = false
    @Option(parsing: .unconditional, help: "Adapter-only pseudo-queries per evaluation user (one LLM call each; default \(engineDefaults.labelling.adapterPseudoQueriesPerEvalUser)).")
    var adapterPseudoQueries: Int?
    @Option(parsing: .unconditional, help: "Adapter-only pseudo-queries per training user (one LLM call each; default \(engineDefaults.labelling.adapterPseudoQueriesPerTrainUser)).")
    var trainAdapterPseudoQueries: Int?
    @Option(parsing: .unconditional, help: "Real questions per training user used for training (default \(engineDefaults.labelling.trainQuestionsPerUser.map(String.init) ?? "all")).")
    var trainQuestions: Int?
    @Option(parsing: .unconditional, help: "Token budget of a prompt (default \(engineDefaults.retrieval.promptTokens)).") var promptTokens: Int?
    @Option(help: "Where to write results and predictions (default: <session store>/results).") var out: String?
    @Flag(help: "Print {task, methods: {NAME: {METRIC: value}}, oracle: {METHOD: {METRIC: value}}, empty_answers, selection, fit_selection, head_influence: {questions, promptsChanged, picksChanged, answersChanged}, gate, paired, notes, timings: {STAGE: seconds}, llm: {STAGE: {seconds, tokens_per_s, prefill_share, decode_share, attention_share, usage: {generate_calls, choose_calls, cache_hits, cache_misses, prompt_tokens, generated_tokens, seconds, prefill_seconds, decode_seconds, attention_seconds}}}} on stdout.")
    var json = false

    func validate() throws {
        if session != nil && data != nil { throw ValidationError("--session and --data are alternatives; give one") }
        if session == nil && data == nil { throw ValidationError("give --session FILE or --data DIR") }
        if let encoder, SentenceEncoderKind(rawValue: encoder) == nil {
            throw ValidationError("--encoder must be minilm or hashing, not \"\(encoder)\"")
        }
        for (name, value) in [("k", k), ("r", r), ("n", n), ("train-users", trainUsers), ("eval-users", evalUsers)] {
            if let value, value < 1 { throw ValidationError("--\(name) must be at least 1, not \(value)") }
        }
        try CLI.validateLLMTimeout(llmTimeout)
        _ = try CLI.parsePrecision(precision)
        if let methods {
            do { _ = try RunOverrides.parseMethods(methods) } catch { throw ValidationError("\(error)") }
        }
    }

    /// The flags as run overrides (only those given).
    func overrides() throws -> RunOverrides {
        var o = RunOverrides()
        o.task = try task.map { try LaMPTask.parse($0) }
        o.trainUsers = trainUsers
        o.evalUsers = evalUsers
        o.k = k
        o.r = r
        o.labelK = labelK
        o.n = n
        o.encoder = encoder.flatMap(SentenceEncoderKind.init(rawValue:))
        o.llm = llm
        o.model = model
        o.llmTimeout = llmTimeout
        o.precision = try CLI.parsePrecision(precision)
        o.seed = seed
        o.methods = try methods.map(RunOverrides.parseMethods)
        o.pseudoQueries = pseudoQueries
        o.trainPseudoQueries = trainPseudoQueries
        o.headInitialization = try headInit.map(RunOverrides.parseHeadInitialization)
        o.baseWidths = try baseWidths.map(RunOverrides.parseBaseWidths)
        o.fitEpochs = fitEpochs
        o.fitLearningRate = fitLearningRate
        o.adapterLabels = try adapterLabels.map(RunOverrides.parseAdapterLabels)
        o.adapterPseudoQueries = adapterPseudoQueries
        o.trainAdapterPseudoQueries = trainAdapterPseudoQueries
        o.trainQuestions = trainQuestions
        o.promptTokens = promptTokens
        o.temperature = temperature
        o.topP = topP
        if rawAnswers { o.rawAnswers = true }
        if noSelection { o.selection = false }
        return o
    }

    /// The session file or data directory the flags name.
    func source() throws -> RunSource {
        if let session {
            let file = URL(fileURLWithPath: session)
            return .session(try SessionFile.load(file), file: file)
        }
        return .data(URL(fileURLWithPath: data ?? ".").standardizedFileURL)
    }

    func run() async throws {
        try await CLI.guarded {
            let source = try source()
            let overrides = try overrides()
            let environment = RunEnvironment.standard(onLLMRetry: { CLI.note($0.description) })
            // an explicit --out is checked before any work; the default lives in the store, made below
            if let out { try ResultsReport.prepareOutputDirectory(URL(fileURLWithPath: out)) }
            let directory = try LoadedData.directory(of: source, demoRoot: environment.demoRoot, log: { CLI.note($0) })
            let reporter = ProgressLine(label: "loading \(directory.path)")
            let data = try LoadedData.load(directory: directory, task: overrides.task ?? source.session?.task) { read, total in
                reporter.update(Double(read), of: Double(total), unit: 1e6, unitName: "MB")
            }
            reporter.finish()
            let setup = try RunSetup.make(
                source: source, data: data, overrides: overrides, environment: environment, log: { CLI.note($0) })
            let display = RunProgress(meter: setup.meter)
            let runner = Task { try await setup.run { display.handle($0) } }
            // Ctrl-C cancels the run at its next LLM call or training step
            signal(SIGINT, SIG_IGN)
            let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            interrupt.setEventHandler { runner.cancel() }
            interrupt.resume()
            defer { interrupt.cancel() }
            let results: HydraResults
            do {
                results = try await runner.value
            } catch is CancellationError {
                CLI.note("stopped; cached LLM calls, embeddings and weights are kept — re-run the same command to resume")
                throw ExitCode(130)
            } catch TrainingError.cancelled {
                CLI.note("stopped during training; re-run the same command to resume")
                throw ExitCode(130)
            }
            let outDirectory = out.map { URL(fileURLWithPath: $0) } ?? setup.store.directory.appendingPathComponent("results")
            try ResultsReport.write(results, task: setup.config.task, to: outDirectory)
            CLI.note("results and predictions written to \(outDirectory.path); peak memory \(Int(peakResidentMegabytes())) MB")
            if json {
                struct Output: Encodable {
                    var task: String
                    var methods: [String: [String: Double]]
                    /// Method → metrics of the best candidate of its pool (oracle@N).
                    var oracle: [String: [String: Double]]
                    var emptyAnswers: [String: Int]
                    var selection: SelectionReport?
                    var fitSelection: FitSelectionReport?
                    /// How often the personal heads changed the prompt's items, the pick and the answer.
                    var headInfluence: HeadInfluence?
                    var gate: [String: GateDecision]
                    var paired: [MethodComparison]
                    var notes: [String]
                    var timings: [String: Double]
                    /// Stage → its LLM calls, tokens, tokens/s and time shares (stages that called it).
                    var llm: [String: StageLLMFigures]
                    enum CodingKeys: String, CodingKey {
                        case task, methods, oracle, selection, gate, paired, notes, timings, llm
                        case emptyAnswers = "empty_answers"
                        case fitSelection = "fit_selection"
                        case headInfluence = "head_influence"
                    }
                }
                try CLI.printJSON(Output(
                    task: results.task, methods: results.methods, oracle: results.oracle, emptyAnswers: results.emptyAnswers,
                    selection: results.selection, fitSelection: results.fitSelection, headInfluence: results.headInfluence, gate: results.gate, paired: results.paired, notes: results.notes, timings: results.timings,
                    llm: results.stageLLMFigures))
            } else {
                CLI.show(ResultsReport.markdown(results), terminator: "")
            }
        }
    }
}

/// Peak resident set size (VmHWM) in MB, 0 where /proc is unavailable.
func peakResidentMegabytes() -> Double {
    Double(ProcessMemory.peakResidentBytes() ?? 0) / (1024 * 1024)
}
