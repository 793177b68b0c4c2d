import ArgumentParser
import Foundation
import HydraBench
import LLM
import Workspace

/// `hydra bench NAME`: the engine's benchmarks. `scripts/bench NAME` runs the Python peer the
/// issue names in the same run and prints both.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of each engine capability (build with -c release for real numbers).",
        subcommands: [BM25.self, Load.self, Heads.self, HeadMap.self, Encoder.self, LLM.self, TUI.self]
    )

    /// Prints benchmark figures, and what they were measured with (`labels`: names such as the
    /// kernel path), as JSON (sorted keys) or as an aligned table.
    static func report(_ figures: [String: Double], labels: [String: String] = [:], json: Bool) throws {
        if json { return try CLI.printJSON(Figures(numbers: figures, labels: labels)) }
        var table = TextTable(header: ["figure", "value"], rightAligned: [1])
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { table.rows.append([key, value]) }
        for (key, value) in figures.sorted(by: { $0.key < $1.key }) {
            table.rows.append([key, value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)])
        }
        CLI.show(table.render())
    }

    /// Numbers and labels in one JSON object.
    private struct Figures: Encodable {
        var numbers: [String: Double]
        var labels: [String: String]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Swift.Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in numbers { try container.encode(value, forKey: Key(stringValue: key)) }
            for (key, value) in labels { try container.encode(value, forKey: Key(stringValue: key)) }
        }
    }

    struct BM25: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "BM25 queries/s on corpus A (300 docs) and on a 100k-document corpus, exact scores.")
        @Option(parsing: .unconditional, help: "Seconds of queries per corpus.") var seconds: Double = 2
        @Flag(help: "Print JSON (bm25_corpus_a_queries_per_s, bm25_100k_queries_per_s).") var json = false

        func run() async throws {
            try BenchCommand.report(runBM25Benchmark(secondsPerCorpus: seconds), json: json)
        }
    }

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "LaMP questions-file load throughput (MB/s) and peak memory.")
        @Option(help: "A questions file; default: a synthetic LaMP_2 file in the cache.") var file: String?
        @Option(parsing: .unconditional, help: "Size of the synthetic file when it has to be written.") var megabytes: Int = 200
        @Flag(help: "Print JSON (load_mb_per_s, …).") var json = false

        static func defaultFile(megabytes: Int) -> URL {
            Paths.cacheRoot().appendingPathComponent("bench/load-synthetic-\(megabytes)MB.json")
        }

        func run() async throws {
            try await CLI.guarded {
                let url = file.map { URL(fileURLWithPath: $0) } ?? Load.defaultFile(megabytes: megabytes)
                if file == nil && !FileManager.default.fileExists(atPath: url.path) {
                    CLI.note("writing the benchmark file \(url.path)")
                    try ensureSyntheticLoadFile(at: url, megabytes: megabytes)
                    // Generating it raised this process's peak memory; measure in a fresh one.
                    let child = Process()
                    child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                    child.arguments = ["bench", "load", "--file", url.path] + (json ? ["--json"] : [])
                    try child.run()
                    child.waitUntilExit()
                    if child.terminationStatus != 0 { throw ExitCode(child.terminationStatus) }
                    return
                }
                try BenchCommand.report(runLoadBenchmark(file: url), json: json)
            }
        }
    }

    struct Heads: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "HYDRA head fitting: one user, 100 users on both cores, and joint-training throughput.")
        @Flag(help: "Print JSON (one_user_s, hundred_users_s, joint_examples_per_s).") var json = false

        func run() async throws {
            try await CLI.guarded { try BenchCommand.report(runHeadsBenchmark(), json: json) }
        }
    }

    struct HeadMap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "headmap", abstract: "The head inspector's map of 1,000 synthetic heads: projection time and one frame of the screen.")
        @Flag(help: "Print JSON (map_1000_heads_ms, heads_frame_1000_ms).") var json = false

        func run() async throws {
            try await CLI.guarded { try BenchCommand.report(HeadMapBenchmark.run(), json: json) }
        }
    }

    struct Encoder: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "MiniLM sentences/s (batch 32, ~30 words, tokenisation included) and resident memory.")
        @Flag(help: "Print JSON (sentences_per_s, rss_mb).") var json = false

        func run() async throws {
            try await CLI.guarded {
                let directory = Paths.modelsDirectory().appendingPathComponent(ModelCatalog.miniLMFolder)
                try BenchCommand.report(runEncoderBenchmark(modelDirectory: directory), json: json)
            }
        }
    }

    struct LLM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "SmolLM2: prefill and decode tokens/s, 8 samples × 32 tokens, a 1,000-token prompt with 4 samples, 8 different prompts at once against one by one, resident memory.")
        @Option(help: CLI.precisionHelp) var precision: String?
        @Flag(help: "Print JSON (precision, kernel_path, prefill_tokens_per_s, products_only_tokens_per_s, products_multiply_adds_per_s, decode_tokens_per_s, decode_products_only_tokens_per_s, eight_samples_s, rss_mb, long_prompt_s, concurrent_8_s, sequential_8_s, concurrent_over_sequential, …).")
        var json = false

        func validate() throws { _ = try CLI.parsePrecision(precision) }

        func run() async throws {
            try await CLI.guarded {
                let store = ModelStore()
                try store.require(ModelCatalog.smolLM2)
                let precision = try CLI.parsePrecision(precision) ?? .standard
                let model = store.url(ModelCatalog.smolLM2File)
                var figures = try runLLMBenchmark(modelPath: model, precision: precision)
                figures.merge(try await runLLMServingBenchmark(modelPath: model, precision: precision)) { first, _ in first }
                try BenchCommand.report(figures, labels: ["precision": precision.rawValue, "kernel_path": precision.kernelPath],
                                        json: json)
            }
        }
    }

    struct TUI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Frame time at 200×60 and keypress-to-frame latency under a busy background task.")
        @Flag(help: "Print JSON (frame_ms_median, keypress_to_frame_ms_p99).") var json = false

        func run() async throws {
            try await CLI.guarded { try BenchCommand.report(runTUIBenchmark(), json: json) }
        }
    }
}
