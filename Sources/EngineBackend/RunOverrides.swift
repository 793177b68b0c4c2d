import Encoder
import Foundation
import HydraEngine
import LaMP
import LLM
import Training

/// The run settings given on top of a session (`hydra run`'s flags, or the workbench's own
/// choices): every one optional, and every one that is set wins over the session file.
public struct RunOverrides: Sendable, Equatable {
    /// The task, when the data cannot name it.
    public var task: LaMPTask?
    public var trainUsers: Int?
    public var evalUsers: Int?
    /// `retrieval.k`, `retrieval.r`, `retrieval.promptTokens`.
    public var k: Int?
    public var r: Int?
    public var promptTokens: Int?
    /// `labelling.labelK`.
    public var labelK: Int?
    /// `labelling.trainQuestionsPerUser`.
    public var trainQuestions: Int?
    /// `labelling.pseudoQueriesPerEvalUser` and `…PerTrainUser`.
    public var pseudoQueries: Int?
    public var trainPseudoQueries: Int?
    /// `labelling.adapterPseudoQueriesPerEvalUser` and `…PerTrainUser`.
    public var adapterPseudoQueries: Int?
    public var trainAdapterPseudoQueries: Int?
    public var adapterLabels: AdapterLabels?
    /// `sampling.temperature`, `sampling.topP`.
    public var temperature: Double?
    public var topP: Double?
    /// True: score the LLM's raw text (`sampling.normalizeAnswers` off).
    public var rawAnswers: Bool?
    /// `selection.enabled`.
    public var selection: Bool?
    /// `sampling.n`, `sampling.maxNewTokens`, `sampling.seed`.
    public var n: Int?
    public var maxNewTokens: Int?
    public var seed: UInt64?
    /// `training.baseWidths` (empty: the heads sit on the pair features) and
    /// `training.fitInitialization`.
    public var baseWidths: [Int]?
    public var headInitialization: HeadInitialization?
    /// `training.fit.epochs` and `training.fit.learningRate`.
    public var fitEpochs: Int?
    public var fitLearningRate: Float?
    /// `runtime.concurrentLLMCalls`.
    public var concurrentLLMCalls: Int?
    public var methods: [HydraMethod]?
    /// The sentence encoder.
    public var encoder: SentenceEncoderKind?
    /// `embedded`, or the base URL of an OpenAI-compatible server (`…/v1`).
    public var llm: String?
    /// The model name asked of that server.
    public var model: String?
    /// The embedded model's weight products (`--precision`).
    public var precision: ProductPrecision?
    /// Which kept run inspections and the workbench read (an id from `hydra session show`, or a
    /// unique prefix of one); nil reads the newest.
    public var run: String?
    /// Seconds one request to that server may take before it is retried (`--llm-timeout`).
    public var llmTimeout: Double?

    public init() {}

    /// No overrides but which kept run to read.
    public init(run: String?) { self.run = run }
}

/// Parsing of the flags' spellings, shared by `hydra run` and anything else that reads them as
/// text, with the messages `hydra run` has always given.
extension RunOverrides {
    /// `rag,hydra` → the methods.
    public static func parseMethods(_ text: String) throws -> [HydraMethod] {
        try text.split(separator: ",").map { name in
            guard let method = HydraMethod(rawValue: String(name)) else {
                throw RunSetupError(
                    "unknown method \"\(name)\" in --methods (known: \(HydraMethod.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return method
        }
    }

    /// `64,32` → [64, 32]; `none` → [].
    public static func parseBaseWidths(_ text: String) throws -> [Int] {
        if text == "none" { return [] }
        let parsed = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw RunSetupError("--base-widths must be positive integers separated by commas, or `none`, not \"\(text)\"")
        }
        return parsed.compactMap { $0 }
    }

    /// `global` or `fresh`.
    public static func parseHeadInitialization(_ text: String) throws -> HeadInitialization {
        switch text {
        case "global": return .fromGlobal
        case "fresh": return .fresh
        default: throw RunSetupError("--head-init must be `global` or `fresh`, not \"\(text)\"")
        }
    }

    /// `gold`, `rouge` or `listwise`.
    public static func parseAdapterLabels(_ text: String) throws -> AdapterLabels {
        guard let labels = AdapterLabels(rawValue: text) else {
            throw RunSetupError(
                "--adapter-labels must be one of \(AdapterLabels.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")), not \"\(text)\"")
        }
        return labels
    }
}
