import ArgumentParser
import EngineBackend
import Foundation
import LLM
import LLMInterface
import OpenAIClient
import Workspace

/// `hydra tokenize`: the SmolLM2 tokenizer's ids for a file's text.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Token ids of a text with the embedded model's tokenizer (byte-level BPE).")

    @Option(help: "The file holding the text.") var textFile: String
    @Flag(help: "Parse special tokens such as <|im_start|> (otherwise they are plain text).") var raw = false
    @Flag(help: "Print {\"ids\": [...]}.") var json = false

    func run() async throws {
        try await CLI.guarded {
            let text = try readText(textFile)
            let llm = try EmbeddedModel.load()
            let ids = llm.tokenizer.encode(text, parseSpecial: raw)
            if json {
                struct Output: Encodable { var ids: [Int] }
                return try CLI.printJSON(Output(ids: ids))
            }
            var table = TextTable(header: ["#", "id", "piece"], rightAligned: [0, 1])
            for (index, id) in ids.enumerated() {
                let piece = llm.tokenizer.decode([id], renderSpecial: true)
                table.rows.append(["\(index)", "\(id)", piece.debugDescription])
            }
            CLI.show("\(ids.count) tokens\n" + table.render())
        }
    }
}

/// Reads a UTF-8 text file, naming it in the error.
func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("\(path): cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("\(path): not valid UTF-8")
    }
    return text
}

/// `hydra generate`: N samples from the embedded model or an OpenAI-compatible server.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Sample completions from the embedded SmolLM2 or an OpenAI-compatible server.",
        discussion: """
            Either --chat TEXT (one user message, formatted with the model's chat template and the \
            engine's system prompt) or --prompt-file F --raw (the file's text as-is, special tokens parsed).
            """)

    @Option(help: "A user message.") var chat: String?
    @Option(help: "A file whose text is the whole prompt (needs --raw).") var promptFile: String?
    @Flag(help: "Use --prompt-file as-is, with special tokens parsed.") var raw = false
    @Flag(help: "Greedy decoding (temperature 0).") var greedy = false
    @Option(help: "Sampling temperature.") var temperature: Double = 1
    @Option(help: "Nucleus sampling threshold.") var topP: Double = 1
    @Option(help: "Keep only the top-k tokens (0 = all).") var topK: Int = 0
    @Option(help: "Number of samples (they share one prompt pass).") var n: Int = 1
    @Option(help: "Maximum new tokens per sample.") var maxTokens: Int = 64
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Stop strings (repeatable).") var stop: [String] = []
    @Option(help: "Record the top-K logits of every step (embedded model only).") var logits: Int = 0
    @Option(help: CLI.precisionHelp) var precision: String?
    @Option(help: "embedded, or the base URL of an OpenAI-compatible server (…/v1).") var llm: String = "embedded"
    @Option(help: "The model name to request from a server.") var model: String = "default"
    @Option(help: "The environment variable holding the server's API key.") var apiKeyEnv: String?
    @Option(help: "Seconds one request to the --llm server may take before it is retried (default \(Int(OpenAIClientConfiguration.defaultRequestTimeout))).")
    var llmTimeout: Double?
    @Flag(help: "Print JSON: {prompt_ids, samples: [{ids, text, logits?}]}.") var json = false

    func validate() throws {
        switch (chat, promptFile) {
        case (.some, .none): break
        case (.none, .some): guard raw else { throw ValidationError("--prompt-file needs --raw") }
        default: throw ValidationError("give either --chat TEXT or --prompt-file F --raw")
        }
        guard n >= 1 else { throw ValidationError("--n must be at least 1") }
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        guard logits >= 0 else { throw ValidationError("--logits must be ≥ 0") }
        if llm != "embedded" && logits > 0 { throw ValidationError("--logits works with the embedded model only") }
        _ = try CLI.parsePrecision(precision)
        if llm != "embedded" && precision != nil { throw ValidationError("--precision works with the embedded model only") }
        try CLI.validateLLMTimeout(llmTimeout)
        if llm == "embedded" && llmTimeout != nil { throw ValidationError("--llm-timeout works with --llm URL only") }
        if llm != "embedded" {
            guard let url = URL(string: llm), url.scheme == "http" || url.scheme == "https" else {
                throw ValidationError("--llm must be `embedded` or an http(s) URL, not \"\(llm)\"")
            }
            if let problem = OpenAIClientConfiguration.problem(withBaseURL: url) { throw ValidationError("--llm: \(problem)") }
        }
    }

    struct Sample: Encodable {
        var ids: [Int]?
        var text: String
        var finishReason: String
        var logits: [[TokenLogit]]?
        enum CodingKeys: String, CodingKey { case ids, text, logits, finishReason = "finish_reason" }
    }

    struct Output: Encodable {
        var promptIDs: [Int]?
        var samples: [Sample]
        enum CodingKeys: String, CodingKey { case samples, promptIDs = "prompt_ids" }
    }

    func run() async throws {
        try await CLI.guarded {
            let prompt: LLMPrompt = try chat.map { .chat([ChatMessage(role: "user", content: $0)]) }
                ?? .raw(readText(promptFile!))
            let parameters = SamplingParameters(
                temperature: greedy ? 0 : temperature, topP: greedy ? 1 : topP, topK: greedy ? 0 : topK,
                maxTokens: maxTokens, stop: stop, seed: seed)
            let output: Output
            let started = Date()
            if llm == "embedded" {
                let embedded = try EmbeddedModel.load(precision: CLI.parsePrecision(precision) ?? .standard)
                let samples: [GeneratedSample]
                do {
                    samples = try await embedded.samples(prompt, parameters: parameters, n: n, topLogits: logits)
                } catch let tooLong as ContextLengthExceeded {
                    throw CLIError("\(tooLong); shorten the prompt or lower --max-tokens")
                }
                output = Output(promptIDs: embedded.tokens(of: prompt), samples: samples.map {
                    Sample(ids: $0.tokens, text: $0.text, finishReason: $0.finishReason.rawValue,
                           logits: logits > 0 ? $0.topLogits : nil)
                })
            } else {
                guard let url = URL(string: llm) else { throw ValidationError("--llm: \"\(llm)\" is not a URL") }
                let client = OpenAICompatibleClient(configuration: OpenAIClientConfiguration(
                    baseURL: url, model: model, apiKeyVariable: apiKeyEnv,
                    requestTimeout: llmTimeout ?? OpenAIClientConfiguration.defaultRequestTimeout,
                    onRetry: { CLI.note($0.description) }))
                let completions = try await client.generate(prompt, parameters: parameters, n: n)
                output = Output(promptIDs: nil, samples: completions.map {
                    Sample(ids: $0.tokenIDs, text: $0.text, finishReason: $0.finishReason, logits: nil)
                })
            }
            if json { return try CLI.printJSON(output) }
            for (index, sample) in output.samples.enumerated() {
                CLI.show("── sample \(index + 1) (\(sample.finishReason), \(sample.ids?.count ?? 0) tokens)")
                CLI.show(sample.text)
            }
            CLI.note(String(format: "%.2f s", Date().timeIntervalSince(started)))
        }
    }
}
