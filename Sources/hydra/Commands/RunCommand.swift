import ArgumentParser
import Encoder
import Foundation
import GenerationCache
import HydraEngine
import LaMP
import LLM
import LLMInterface
import OpenAIClient
import SessionStore
import Training
import Workspace

/// `hydra run`: the whole HYDRA pipeline and its baselines on a LaMP directory or a session.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run HYDRA and its baselines (zero-shot, icl-random, rag, hydra-reranker, hydra-adapter, hydra, hydra-base).",
        discussion: """
            Training users come from the train split, evaluation users from the dev split. LLM calls, \
            embeddings and trained weights are kept in the session store (<cache>/sessions/<name>), so a \
            re-run of the same command reuses them; Ctrl-C stops cleanly and a re-run resumes.
            """)

    @Option(help: "A session file (Sessions/*.json).") var session: String?
    @Option(help: "A LaMP dataset directory (instead of a session file).") var data: String?
    @Option(help: "The LaMP task, when it cannot be read from the data.") var task: String?
    @Option(help: "Training users (first N of the train split).") var trainUsers: Int?
    @Option(help: "Evaluation users (first M of the dev split).") var evalUsers: Int?
    @Option(help: "Items retrieved per query (default 10).") var k: Int?
    @Option(help: "Items in the prompt (default 2).") var r: Int?
    @Option(help: "Items labelled by the LLM per training query (default 4; at most k).") var labelK: Int?
    @Option(help: "Samples per prompt for the adapter (default 8).") var n: Int?
    @Option(help: "minilm or hashing (default minilm).") var encoder: String?
    @Option(help: "embedded, or the base URL of an OpenAI-compatible server (…/v1).") var llm: String?
    @Option(help: "The model name for --llm URL.") var model: String = "default"
    @Option(help: "Seed of sampling, random ICL items and training.") var seed: UInt64?
    @Option(help: "Comma-separated methods (default: all).") var methods: String?
    @Option(help: "Pseudo-queries per evaluation user (their head's only data; default 4).") var pseudoQueries: Int?
    @Option(help: "Pseudo-queries per training user (default 1).") var trainPseudoQueries: Int?
    @Option(help: "An evaluation user's head before fitting: `global` (a copy of the global head; default) or `fresh` (as HYDRA.md describes).")
    var headInit: String?
    @Option(help: "Widths of the shared base MLP, comma-separated (default 64); `none` puts the heads on the pair features, which makes each head 1538×1538 (GBs of training memory for 36 users).")
    var baseWidths: String?
    @Option(help: "Generation tasks: adapter labels `gold` (the N candidates negative, the gold positive; default) or `rouge` (candidates above their mean ROUGE positive).")
    var adapterLabels: String?
    @Option(help: "Adapter-only pseudo-queries per evaluation user (one LLM call each; default 8).")
    var adapterPseudoQueries: Int?
    @Option(help: "Adapter-only pseudo-queries per training user (one LLM call each; default 0).")
    var trainAdapterPseudoQueries: Int?
    @Option(help: "Real questions per training user used for training (default 2).") var trainQuestions: Int?
    @Option(help: "Token budget of a prompt (default 256).") var promptTokens: Int?
    @Option(help: "Where to write results and predictions (default: <session store>/results).") var out: String?
    @Flag(help: "Print {task, methods: {NAME: {METRIC: value}}, timings: {STAGE: seconds}} on stdout.") var json = false

    func validate() throws {
        if session != nil && data != nil { throw ValidationError("--session and --data are alternatives; give one") }
        if session == nil && data == nil { throw ValidationError("give --session FILE or --data DIR") }
        if let encoder, SentenceEncoderKind(rawValue: encoder) == nil {
            throw ValidationError("--encoder must be minilm or hashing, not \"\(encoder)\"")
        }
        for (name, value) in [("k", k), ("r", r), ("n", n)] {
            if let value, value < 1 { throw ValidationError("--\(name) must be at least 1") }
        }
        if let methods {
            for name in methods.split(separator: ",") where HydraMethod(rawValue: String(name)) == nil {
                throw ValidationError(
                    "unknown method \"\(name)\" in --methods (known: \(HydraMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    func run() async throws {
        try await CLI.guarded {
            let plan = try RunPlan.make(self)
            let runner = Task { try await plan.execute() }
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
            let outDirectory = out.map { URL(fileURLWithPath: $0) } ?? plan.store.directory.appendingPathComponent("results")
            try ResultsReport.write(results, task: plan.config.task, to: outDirectory)
            CLI.note("results and predictions written to \(outDirectory.path); peak memory \(Int(peakResidentMegabytes())) MB")
            if json {
                struct Output: Encodable {
                    var task: String
                    var methods: [String: [String: Double]]
                    var timings: [String: Double]
                }
                try CLI.printJSON(Output(task: results.task, methods: results.methods, timings: results.timings))
            } else {
                print(ResultsReport.markdown(results), terminator: "")
            }
        }
    }
}

/// Peak resident set size (VmHWM) in MB, 0 where /proc is unavailable.
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
    return kb / 1024
}

/// The SmolLM2 tokenizer as the prompt builder's token counter.
struct BPETokenCounter: TokenCounter {
    let tokenizer: BPETokenizer

    func count(_ text: String) -> Int { tokenizer.encode(text).count }

    func prefix(_ text: String, maxTokens: Int) -> String {
        guard maxTokens > 0 else { return "" }
        let ids = tokenizer.encode(text)
        guard ids.count > maxTokens else { return text }
        return tokenizer.decode(Array(ids.prefix(maxTokens)))
    }
}
