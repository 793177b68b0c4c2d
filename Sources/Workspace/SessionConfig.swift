import Foundation
import DemoData
import LaMP

/// A workbench session as stored in `Sessions/*.json`: which data, which task, and how the
/// pipeline is set up. The README documents the schema; unknown keys are rejected so a typo is
/// not silently ignored. A run setting left out is nil here: the engine's default applies, and
/// the engine (which this target cannot see) is the one place that default is written.
public struct SessionConfig: Codable, Sendable, Equatable {
    /// A short name shown in the status bar.
    public var name: String
    /// One sentence for humans.
    public var description: String?
    /// Where the LaMP data comes from.
    public var data: DataSource
    /// The task; when nil it is read from the outputs file or detected from the inputs.
    public var task: LaMPTask?
    public var retrieval: RetrievalSettings
    /// `minilm` (default) or `hashing`.
    public var encoder: String
    public var llm: LLMSettings
    public var hydra: HydraSettings

    public init(name: String, description: String? = nil, data: DataSource, task: LaMPTask? = nil,
                retrieval: RetrievalSettings = .init(), encoder: String = "minilm",
                llm: LLMSettings = .init(), hydra: HydraSettings = .init()) {
        self.name = name
        self.description = description
        self.data = data
        self.task = task
        self.retrieval = retrieval
        self.encoder = encoder
        self.llm = llm
        self.hydra = hydra
    }

    enum CodingKeys: String, CodingKey { case name, description, data, task, retrieval, encoder, llm, hydra }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        data = try c.decode(DataSource.self, forKey: .data)
        task = try c.decodeIfPresent(LaMPTask.self, forKey: .task)
        retrieval = try c.decodeIfPresent(RetrievalSettings.self, forKey: .retrieval) ?? .init()
        encoder = try c.decodeIfPresent(String.self, forKey: .encoder) ?? "minilm"
        llm = try c.decodeIfPresent(LLMSettings.self, forKey: .llm) ?? .init()
        hydra = try c.decodeIfPresent(HydraSettings.self, forKey: .hydra) ?? .init()
    }

    /// Either a LaMP directory or a demo-generator spec (exactly one of the two keys).
    public enum DataSource: Codable, Sendable, Equatable {
        /// A LaMP directory; a relative path is taken from the session file's folder.
        case path(String)
        /// Generated on first use into the cache.
        case demo(DemoSpec)

        private enum CodingKeys: String, CodingKey { case path, demo }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch (container.contains(.path), container.contains(.demo)) {
            case (true, false): self = .path(try container.decode(String.self, forKey: .path))
            case (false, true): self = .demo(try container.decode(DemoSpec.self, forKey: .demo))
            default:
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "`data` needs exactly one of \"path\" (a LaMP directory) or \"demo\" (a generator spec)"))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .path(let path): try container.encode(path, forKey: .path)
            case .demo(let demo): try container.encode(demo, forKey: .demo)
            }
        }
    }

    public struct RetrievalSettings: Codable, Sendable, Equatable {
        /// `bm25` or `dense`.
        public var retriever: String
        /// Items retrieved (HYDRA's k); nil = the engine's default.
        public var k: Int?
        /// Items put into the prompt (HYDRA's r); nil = the engine's default.
        public var r: Int?
        public init(retriever: String = "bm25", k: Int? = nil, r: Int? = nil) {
            self.retriever = retriever
            self.k = k
            self.r = r
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            retriever = try c.decodeIfPresent(String.self, forKey: .retriever) ?? "bm25"
            k = try c.decodeIfPresent(Int.self, forKey: .k)
            r = try c.decodeIfPresent(Int.self, forKey: .r)
        }
        enum CodingKeys: String, CodingKey { case retriever, k, r }
    }

    public struct LLMSettings: Codable, Sendable, Equatable {
        /// `embedded` or `openai` (any OpenAI-compatible server).
        public var backend: String
        public var baseURL: String?
        public var model: String?
        /// The NAME of the environment variable holding the API key; the key itself is never stored.
        public var apiKeyEnv: String?
        /// The embedded model's weight products: `exact` or `int8` (nil: int8); the run setup
        /// rejects other values.
        public var precision: String?
        public init(backend: String = "embedded", baseURL: String? = nil, model: String? = nil, apiKeyEnv: String? = nil,
                    precision: String? = nil) {
            self.backend = backend
            self.baseURL = baseURL
            self.model = model
            self.apiKeyEnv = apiKeyEnv
            self.precision = precision
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            backend = try c.decodeIfPresent(String.self, forKey: .backend) ?? "embedded"
            baseURL = try c.decodeIfPresent(String.self, forKey: .baseURL)
            model = try c.decodeIfPresent(String.self, forKey: .model)
            apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
            precision = try c.decodeIfPresent(String.self, forKey: .precision)
        }
        enum CodingKeys: String, CodingKey {
            case backend, model, precision
            case baseURL = "base_url"
            case apiKeyEnv = "api_key_env"
        }
    }

    public struct HydraSettings: Codable, Sendable, Equatable {
        /// Candidates sampled per query (HYDRA's N); nil = the engine's default.
        public var n: Int?
        /// The run's seed; nil = the engine's default.
        public var seed: UInt64?
        public var trainUsers: Int?
        public var evalUsers: Int?
        /// Generation tasks' adapter labels, a raw value of the engine's `AdapterLabels`: "gold"
        /// (HYDRA's: candidates negative, the gold positive), "rouge" (candidates above their
        /// mean ROUGE positive) or "listwise" (softmax over a prompt's candidates, the best by
        /// ROUGE the target); nil = chosen by held-out selection. The run setup rejects others.
        public var adapterLabels: String?
        /// Temperature and top-p of the N samples (generation tasks); nil = the engine's defaults.
        public var temperature: Double?
        public var topP: Double?
        /// true: score the LLM's raw text, without the answer normaliser (strict comparison with
        /// the reference code); nil = the engine's default (normalised).
        public var rawAnswers: Bool?
        /// false: no held-out model selection (the configured or default adapter settings).
        public var selection: Bool?
        public init(
            n: Int? = nil, seed: UInt64? = nil, trainUsers: Int? = nil, evalUsers: Int? = nil, adapterLabels: String? = nil,
            temperature: Double? = nil, topP: Double? = nil, rawAnswers: Bool? = nil, selection: Bool? = nil
        ) {
            self.n = n
            self.seed = seed
            self.trainUsers = trainUsers
            self.evalUsers = evalUsers
            self.adapterLabels = adapterLabels
            self.temperature = temperature
            self.topP = topP
            self.rawAnswers = rawAnswers
            self.selection = selection
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            n = try c.decodeIfPresent(Int.self, forKey: .n)
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            trainUsers = try c.decodeIfPresent(Int.self, forKey: .trainUsers)
            evalUsers = try c.decodeIfPresent(Int.self, forKey: .evalUsers)
            adapterLabels = try c.decodeIfPresent(String.self, forKey: .adapterLabels)
            temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
            topP = try c.decodeIfPresent(Double.self, forKey: .topP)
            rawAnswers = try c.decodeIfPresent(Bool.self, forKey: .rawAnswers)
            selection = try c.decodeIfPresent(Bool.self, forKey: .selection)
        }
        enum CodingKeys: String, CodingKey {
            case n, seed, temperature, selection
            case topP = "top_p"
            case rawAnswers = "raw_answers"
            case trainUsers = "train_users"
            case evalUsers = "eval_users"
            case adapterLabels = "adapter_labels"
        }
    }
}
