import Encoder
import Foundation
import LaMP
import LLMInterface
import OpenAIClient
import Workspace

/// What a run takes from the machine: where stores and demo data live, and how the LLM and the
/// encoder are made. Tests give closures that return fakes, so they never need model files.
public struct RunEnvironment: Sendable {
    /// Session stores go under `<cacheRoot>/sessions`.
    public var cacheRoot: URL
    /// Where demo datasets are generated.
    public var demoRoot: URL
    /// The LLM client and its tokenizer (for prompt budgets and tokens/s).
    public var makeLLM: @Sendable (LLMChoice) throws -> (client: any LLMClient, tokenCounter: any TokenCounter)
    /// The sentence encoder.
    public var makeEncoder: @Sendable (SentenceEncoderKind) throws -> any SentenceEncoder

    public init(
        cacheRoot: URL, demoRoot: URL,
        makeLLM: @escaping @Sendable (LLMChoice) throws -> (client: any LLMClient, tokenCounter: any TokenCounter),
        makeEncoder: @escaping @Sendable (SentenceEncoderKind) throws -> any SentenceEncoder
    ) {
        self.cacheRoot = cacheRoot
        self.demoRoot = demoRoot
        self.makeLLM = makeLLM
        self.makeEncoder = makeEncoder
    }

    /// The real machine: the user's cache, the embedded model or an OpenAI-compatible client,
    /// and encoders from the model cache.
    public static var standard: RunEnvironment { standard(onLLMRetry: nil) }

    /// The real machine, telling `onLLMRetry` each time a server request is tried again (the CLI
    /// prints it; the workbench's screen must not be written over, so it passes nil).
    public static func standard(onLLMRetry: (@Sendable (RetryNotice) -> Void)?) -> RunEnvironment {
        RunEnvironment(
            cacheRoot: Paths.cacheRoot(), demoRoot: Paths.demoDirectory(),
            makeLLM: { choice in
                switch choice {
                case .embedded(let precision):
                    let embedded = try EmbeddedModel.load(precision: precision)
                    return (embedded, BPETokenCounter(tokenizer: embedded.tokenizer))
                case let .openAI(baseURL, model, apiKeyVariable, requestTimeout):
                    let client = OpenAICompatibleClient(configuration: OpenAIClientConfiguration(
                        baseURL: baseURL, model: model, apiKeyVariable: apiKeyVariable,
                        requestTimeout: requestTimeout ?? OpenAIClientConfiguration.defaultRequestTimeout,
                        onRetry: onLLMRetry))
                    // a server keeps its tokenizer to itself; whitespace words approximate it
                    return (client, WhitespaceTokenCounter())
                }
            },
            makeEncoder: { kind in try kind.makeVerifiedEncoder(store: ModelStore(directory: Paths.modelsDirectory())) })
    }
}
