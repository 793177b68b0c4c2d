import Encoder
import Foundation
import GenerationCache
import HydraEngine
import LaMP
import LLM
import LLMInterface
import OpenAIClient
import SessionStore
import Workspace

/// `hydra run`'s resolved inputs: dataset, engine config, store, LLM and encoder.
struct RunPlan: Sendable {
    let dataset: LaMPDataset
    let config: HydraConfig
    let store: SessionStore
    let client: any LLMClient
    /// Under the cache: counts the tokens the LLM really processes, for tokens/s.
    let meter: TokenMeter
    let counter: any TokenCounter
    let encoder: any SentenceEncoder

    static func make(_ command: RunCommand) throws -> RunPlan {
        var session: SessionConfig?
        var dataDirectory: URL
        var name: String
        if let path = command.session {
            let file = URL(fileURLWithPath: path)
            let loaded = try SessionFile.load(file)
            session = loaded
            dataDirectory = try SessionResolver().dataDirectory(for: loaded, sessionFile: file) { CLI.note($0) }
            name = loaded.name
        } else {
            dataDirectory = URL(fileURLWithPath: command.data ?? ".").standardizedFileURL
            var h = Hasher64()
            h.add(dataDirectory.path)
            name = "data-" + dataDirectory.lastPathComponent + "-" + h.hex.prefix(8)
        }
        let taskName = command.task ?? session?.task?.rawValue
        let dataset = try DatasetLoading.load(
            dataDirectory.path, task: try taskName.map { try LaMPTask.parse($0) }, splits: [.train, .dev])

        var config = HydraConfig(task: dataset.task)
        config.retrieval.k = command.k ?? session?.retrieval.k ?? 10
        config.retrieval.r = command.r ?? session?.retrieval.r ?? 2
        config.sampling.n = command.n ?? session?.hydra.n ?? 8
        config.sampling.seed = command.seed ?? session?.hydra.seed ?? 0
        config.trainUsers = command.trainUsers ?? session?.hydra.trainUsers
        config.evalUsers = command.evalUsers ?? session?.hydra.evalUsers
        if let m = command.methods { config.methods = m.split(separator: ",").compactMap { HydraMethod(rawValue: String($0)) } }
        if let l = command.labelK { config.labelling.labelK = l }
        if let p = command.pseudoQueries { config.labelling.pseudoQueriesPerEvalUser = p }
        if let p = command.trainPseudoQueries { config.labelling.pseudoQueriesPerTrainUser = p }
        if let p = command.adapterPseudoQueries { config.labelling.adapterPseudoQueriesPerEvalUser = p }
        if let widths = command.baseWidths {
            let parsed = widths == "none" ? [] : widths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw CLIError("--base-widths must be positive integers separated by commas, or `none`, not \"\(widths)\"")
            }
            config.training.baseWidths = parsed.compactMap { $0 }
        }
        switch command.headInit {
        case nil, "global": break
        case "fresh": config.training.fitInitialization = .fresh
        case let other?: throw CLIError("--head-init must be `global` or `fresh`, not \"\(other)\"")
        }
        switch command.adapterLabels ?? session?.hydra.adapterLabels {
        case nil, "gold": break
        case "rouge": config.labelling.adapterLabels = .rouge
        case let other?: throw CLIError("--adapter-labels must be `gold` or `rouge`, not \"\(other)\"")
        }
        if let p = command.trainAdapterPseudoQueries { config.labelling.adapterPseudoQueriesPerTrainUser = p }
        if let q = command.trainQuestions { config.labelling.trainQuestionsPerUser = q }
        if let t = command.promptTokens { config.retrieval.promptTokens = t }

        let store = try SessionStore(directory: Paths.cacheRoot().appendingPathComponent("sessions").appendingPathComponent(name))
        let encoderKind = SentenceEncoderKind(rawValue: command.encoder ?? session?.encoder ?? "minilm") ?? .minilm
        let encoder = try encoderKind.makeEncoder(modelsDirectory: Paths.modelsDirectory())

        let llmChoice = command.llm ?? (session?.llm.backend == "openai" ? session?.llm.baseURL ?? "embedded" : "embedded")
        let base: any LLMClient
        let counter: any TokenCounter
        if llmChoice == "embedded" {
            let embedded = try EmbeddedModel.load()
            base = embedded
            counter = BPETokenCounter(tokenizer: embedded.tokenizer)
        } else {
            guard let url = URL(string: llmChoice), url.scheme == "http" || url.scheme == "https" else {
                throw CLIError("--llm must be `embedded` or an http(s) URL, not \"\(llmChoice)\"")
            }
            base = OpenAICompatibleClient(configuration: OpenAIClientConfiguration(
                baseURL: url, model: session?.llm.model ?? command.model, apiKeyVariable: session?.llm.apiKeyEnv))
            counter = WhitespaceTokenCounter()
        }
        let meter = TokenMeter(wrapping: base, counter: counter)
        let client = try CachedLLMClient(wrapping: meter, database: store.database)

        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.sortedKeys]
        try store.saveConfig(String(decoding: try encoderJSON.encode(config), as: UTF8.self))
        let fingerprint = datasetFingerprint(dataset)
        if let old = try store.datasetFingerprint(), old != fingerprint {
            CLI.note("the dataset changed since this session's last run; affected work is redone")
        }
        try store.saveDatasetFingerprint(fingerprint)
        return RunPlan(
            dataset: dataset, config: config, store: store, client: client, meter: meter, counter: counter, encoder: encoder)
    }

    /// Sizes and names of the dataset's files, hashed.
    static func datasetFingerprint(_ dataset: LaMPDataset) -> String {
        var h = Hasher64()
        for split in dataset.splits {
            for file in [split.questionsFile, split.outputsFile].compactMap({ $0 }) {
                h.add(file.lastPathComponent)
                let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
                h.add(String((attributes?[.size] as? Int) ?? 0))
            }
            h.add(String(split.questions.count))
        }
        return h.hex
    }

    func execute() async throws -> HydraResults {
        let pipeline = HydraPipeline(
            dataset: dataset, config: config, client: client, encoder: encoder,
            embeddings: EmbeddingCache(store: store), store: store, tokenCounter: counter)
        let display = RunProgress(meter: meter)
        return try await pipeline.run { display.handle($0) }
    }
}

/// FNV-1a 64 of strings, as hex.
struct Hasher64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ text: String) {
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = (state ^ 0xff) &* 0x100_0000_01b3
    }
    var hex: String { String(state, radix: 16) }
}

/// Progress bars on stderr for a run's stages.
final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var line: ProgressLine?
    private var trainingLabel = ""
    private let meter: TokenMeter
    private var stageStart = Date()
    private var tokensAtStageStart = 0

    init(meter: TokenMeter) { self.meter = meter }

    func handle(_ event: EngineEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .stageStarted(let stage, _):
            line?.finish()
            line = ProgressLine(label: Self.label(stage))
            stageStart = Date()
            tokensAtStageStart = meter.tokens
        case .stageProgress(let stage, let done, let total):
            var detail = ""
            if stage == .labels || stage == .inference {
                let seconds = max(Date().timeIntervalSince(stageStart), 1e-3)
                detail = String(format: "  LLM %.0f tok/s", Double(meter.tokens - tokensAtStageStart) / seconds)
            }
            line?.update(Double(done), of: Double(total), unitName: stage == .embed ? "texts" : "queries", detail: detail)
        case .training(let model, let event):
            let label = "\(model) \(event.phase.userID) loss \(String(format: "%.3f", event.smoothedLoss))"
            if label.prefix(20) != trainingLabel.prefix(20) {
                line?.finish()
                line = ProgressLine(label: label)
                trainingLabel = label
            }
            line?.update(Double(event.step), of: Double(event.totalSteps), unitName: "steps")
        case .stageFinished(let stage, let seconds):
            line?.finish()
            line = nil
            CLI.note(String(format: "%@ done in %.1f s", stage.rawValue, seconds))
        case .note(let text):
            CLI.note(text)
        }
    }

    private static func label(_ stage: HydraStage) -> String {
        switch stage {
        case .load: return "loading"
        case .labels: return "LLM labels"
        case .embed: return "embedding"
        case .training: return "shared phase"
        case .fit: return "fit phase"
        case .inference: return "inference"
        case .evaluate: return "evaluating"
        }
    }
}
