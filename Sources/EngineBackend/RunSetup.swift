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

/// A run ready to go: the data, the resolved configuration, the session store, the LLM and the
/// encoder. `hydra run` and the workbench build their runs through this one type, so a session
/// runs the same way from either.
///
/// Settings resolve with the precedence flag (`RunOverrides`) > session file > engine default
/// (`HydraConfig`), then are validated; `resolveConfig` and `resolveLLM` do that without touching
/// the disk. `make` does the rest.
public struct RunSetup: Sendable {
    public let source: RunSource
    public let data: LoadedData
    public let config: HydraConfig
    public let store: SessionStore
    /// The LLM as the pipeline calls it: cached in the store, metered under the cache.
    public let client: any LLMClient
    /// Counts the tokens the LLM really processes (cache hits count nothing), for tokens/s.
    public let meter: TokenMeter
    public let tokenCounter: any TokenCounter
    public let encoder: any SentenceEncoder

    /// The engine configuration of a run on `task`'s data.
    /// - Throws: `HydraEngineError.invalidSetting` naming the setting (`retrieval.r`,
    ///   `hydra.adapter_labels`) when the result is out of range or the session's value unknown.
    public static func resolveConfig(task: LaMPTask, session: SessionConfig?, overrides: RunOverrides) throws -> HydraConfig {
        var config = HydraConfig(task: task)
        func resolve<Value>(_ setting: inout Value, _ flag: Value?, _ file: Value? = nil) {
            if let value = flag ?? file { setting = value }
        }
        resolve(&config.retrieval.k, overrides.k, session?.retrieval.k)
        resolve(&config.retrieval.r, overrides.r, session?.retrieval.r)
        resolve(&config.retrieval.promptTokens, overrides.promptTokens)
        resolve(&config.sampling.n, overrides.n, session?.hydra.n)
        resolve(&config.sampling.maxNewTokens, overrides.maxNewTokens)
        resolve(&config.sampling.seed, overrides.seed, session?.hydra.seed)
        config.trainUsers = overrides.trainUsers ?? session?.hydra.trainUsers ?? config.trainUsers
        config.evalUsers = overrides.evalUsers ?? session?.hydra.evalUsers ?? config.evalUsers
        if let labelK = overrides.labelK { config.labelling.labelK = labelK }
        if let questions = overrides.trainQuestions { config.labelling.trainQuestionsPerUser = questions }
        resolve(&config.labelling.pseudoQueriesPerEvalUser, overrides.pseudoQueries)
        resolve(&config.labelling.pseudoQueriesPerTrainUser, overrides.trainPseudoQueries)
        resolve(&config.labelling.adapterPseudoQueriesPerEvalUser, overrides.adapterPseudoQueries)
        resolve(&config.labelling.adapterPseudoQueriesPerTrainUser, overrides.trainAdapterPseudoQueries)
        let sessionAdapterLabels = try session.flatMap(adapterLabels)
        if let labels = overrides.adapterLabels ?? sessionAdapterLabels { config.labelling.adapterLabels = labels }
        resolve(&config.sampling.temperature, overrides.temperature, session?.hydra.temperature)
        resolve(&config.sampling.topP, overrides.topP, session?.hydra.topP)
        resolve(&config.sampling.normalizeAnswers, overrides.rawAnswers.map { !$0 }, session?.hydra.rawAnswers.map { !$0 })
        resolve(&config.selection.enabled, overrides.selection, session?.hydra.selection)
        resolve(&config.training.baseWidths, overrides.baseWidths)
        resolve(&config.training.fitInitialization, overrides.headInitialization)
        // a fit setting given by flag is used as it is, not one of a grid to choose from
        resolve(&config.training.fit.epochs, overrides.fitEpochs)
        resolve(&config.selection.fitEpochs, overrides.fitEpochs.map { [$0] })
        resolve(&config.training.fit.learningRate, overrides.fitLearningRate)
        resolve(&config.selection.fitLearningRates, overrides.fitLearningRate.map { [$0] })
        resolve(&config.runtime.concurrentLLMCalls, overrides.concurrentLLMCalls)
        resolve(&config.methods, overrides.methods)
        try config.validate()
        return config
    }

    /// The session's adapter labels as the engine's enum.
    private static func adapterLabels(_ session: SessionConfig) throws -> AdapterLabels? {
        guard let raw = session.hydra.adapterLabels else { return nil }
        guard let labels = AdapterLabels(rawValue: raw) else {
            let known = AdapterLabels.allCases.map(\.rawValue).joined(separator: " or ")
            throw HydraEngineError.invalidSetting(name: "hydra.adapter_labels", value: "\(raw) (expected \(known))")
        }
        return labels
    }

    /// The LLM of a run: `--llm`, else the session's server, else the embedded model; the model
    /// name from `--model`, else the session, else `LLMChoice.defaultModelName`; the embedded
    /// model's precision from `--precision`, else the session's `llm.precision`, else int8.
    /// - Throws: `RunSetupError` when the address is neither `embedded` nor an http(s) URL, when
    ///   `llm.precision` is neither `exact` nor `int8`, or when a precision is given for a server.
    public static func resolveLLM(session: SessionConfig?, overrides: RunOverrides) throws -> LLMChoice {
        let sessionServer = session?.llm.backend == "openai" ? session?.llm.baseURL : nil
        let address = overrides.llm ?? sessionServer ?? "embedded"
        var sessionPrecision: ProductPrecision?
        if let raw = session?.llm.precision {
            guard let precision = ProductPrecision(rawValue: raw) else {
                let known = ProductPrecision.allCases.map(\.rawValue).joined(separator: " or ")
                throw RunSetupError("llm.precision must be \(known), not \"\(raw)\"")
            }
            sessionPrecision = precision
        }
        if address == "embedded" { return .embedded(precision: overrides.precision ?? sessionPrecision ?? .standard) }
        if overrides.precision != nil { throw RunSetupError("--precision applies to the embedded model, not to --llm \(address)") }
        guard let url = URL(string: address), url.scheme == "http" || url.scheme == "https" else {
            throw RunSetupError("--llm must be `embedded` or an http(s) URL, not \"\(address)\"")
        }
        if let problem = OpenAIClientConfiguration.problem(withBaseURL: url) {
            throw RunSetupError("--llm: \(problem)")
        }
        return .openAI(
            baseURL: url, model: overrides.model ?? session?.llm.model ?? LLMChoice.defaultModelName,
            apiKeyVariable: session?.llm.apiKeyEnv, requestTimeout: overrides.llmTimeout)
    }

    /// The sentence encoder of a run: `--encoder`, else the session's, else MiniLM.
    public static func resolveEncoder(session: SessionConfig?, overrides: RunOverrides) -> SentenceEncoderKind {
        overrides.encoder ?? session.flatMap { SentenceEncoderKind(rawValue: $0.encoder) } ?? .minilm
    }

    /// A pipeline over this setup (the store keeps embeddings, LLM calls and weights).
    /// - Parameter client: another client than the setup's (one that counts a job's calls).
    public func makePipeline(client: (any LLMClient)? = nil) -> HydraPipeline {
        HydraPipeline(
            dataset: data.dataset, config: config, client: client ?? self.client, encoder: encoder,
            embeddings: EmbeddingCache(store: store), store: store, tokenCounter: tokenCounter)
    }
}
