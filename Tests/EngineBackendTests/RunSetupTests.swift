import EngineBackend
import HydraEngine
import LaMP
import Workspace
import XCTest

final class RunSetupTests: XCTestCase {
    private let session = SessionConfig(
        name: "s", data: .path("/nowhere"), task: .movieTag, retrieval: .init(retriever: "bm25", k: 6, r: 3),
        llm: .init(backend: "openai", baseURL: "http://127.0.0.1:9/v1", model: "session-model", apiKeyEnv: "KEY"),
        hydra: .init(n: 5, seed: 11, trainUsers: 4, evalUsers: 2, adapterLabels: "rouge"))

    func testNoSessionNoFlags_EngineDefaults() throws {
        let config = try RunSetup.resolveConfig(task: .movieTag, session: nil, overrides: RunOverrides())
        XCTAssertEqual(config, HydraConfig(task: .movieTag))
    }

    func testSessionWinsOverDefaults() throws {
        let config = try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: RunOverrides())
        XCTAssertEqual(config.retrieval.k, 6)
        XCTAssertEqual(config.retrieval.r, 3)
        XCTAssertEqual(config.sampling.n, 5)
        XCTAssertEqual(config.sampling.seed, 11)
        XCTAssertEqual(config.trainUsers, 4)
        XCTAssertEqual(config.evalUsers, 2)
        XCTAssertEqual(config.labelling.adapterLabels, .rouge)
        // what the session leaves out keeps the engine's default
        XCTAssertEqual(config.retrieval.promptTokens, HydraConfig.RetrievalConfig().promptTokens)
        XCTAssertEqual(config.training, HydraConfig.TrainingConfig())
    }

    func testFlagsWinOverSession() throws {
        var flags = RunOverrides()
        flags.k = 8
        flags.r = 1
        flags.n = 3
        flags.seed = 2
        flags.trainUsers = 1
        flags.evalUsers = 1
        flags.adapterLabels = .gold
        flags.labelK = 2
        flags.promptTokens = 128
        flags.maxNewTokens = 12
        flags.baseWidths = []
        flags.headInitialization = .fresh
        flags.fitEpochs = 7
        flags.fitLearningRate = 0.004
        flags.concurrentLLMCalls = 1
        flags.methods = [.rag, .hydra]
        flags.pseudoQueries = 1
        flags.trainPseudoQueries = 0
        flags.adapterPseudoQueries = 3
        flags.trainAdapterPseudoQueries = 2
        flags.trainQuestions = 1
        flags.temperature = 0.3
        flags.topP = 0.5
        flags.rawAnswers = true
        flags.selection = false
        let config = try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: flags)
        XCTAssertEqual([config.sampling.temperature, config.sampling.topP], [0.3, 0.5])
        XCTAssertFalse(config.sampling.normalizeAnswers)
        XCTAssertFalse(config.selection.enabled)
        XCTAssertEqual([config.retrieval.k, config.retrieval.r, config.sampling.n], [8, 1, 3])
        XCTAssertEqual(config.sampling.seed, 2)
        XCTAssertEqual([config.trainUsers, config.evalUsers], [1, 1])
        XCTAssertEqual(config.labelling.adapterLabels, .gold)
        XCTAssertEqual(config.labelling.labelK, 2)
        XCTAssertEqual(config.retrieval.promptTokens, 128)
        XCTAssertEqual(config.sampling.maxNewTokens, 12)
        XCTAssertEqual(config.training.baseWidths, [])
        XCTAssertEqual(config.training.fitInitialization, .fresh)
        // a fit setting given by flag is the whole grid: nothing left to select
        XCTAssertEqual([config.training.fit.epochs], config.selection.fitEpochs)
        XCTAssertEqual(config.selection.fitEpochs, [7])
        XCTAssertEqual(config.selection.fitLearningRates, [0.004])
        XCTAssertEqual(config.training.fit.learningRate, 0.004)
        XCTAssertEqual(config.runtime.concurrentLLMCalls, 1)
        XCTAssertEqual(config.methods, [.rag, .hydra])
        XCTAssertEqual(config.labelling.pseudoQueriesPerEvalUser, 1)
        XCTAssertEqual(config.labelling.pseudoQueriesPerTrainUser, 0)
        XCTAssertEqual(config.labelling.adapterPseudoQueriesPerEvalUser, 3)
        XCTAssertEqual(config.labelling.adapterPseudoQueriesPerTrainUser, 2)
        XCTAssertEqual(config.labelling.trainQuestionsPerUser, 1)
    }

    func testSamplingAnswersAndSelection_SessionThenDefaults() throws {
        var file = session
        file.hydra.temperature = 0.9
        file.hydra.topP = 0.8
        file.hydra.rawAnswers = true
        file.hydra.selection = false
        let fromFile = try RunSetup.resolveConfig(task: .newsHeadline, session: file, overrides: RunOverrides())
        XCTAssertEqual([fromFile.sampling.temperature, fromFile.sampling.topP], [0.9, 0.8])
        XCTAssertFalse(fromFile.sampling.normalizeAnswers)
        XCTAssertFalse(fromFile.selection.enabled)
        let defaults = try RunSetup.resolveConfig(task: .newsHeadline, session: nil, overrides: RunOverrides())
        XCTAssertEqual(defaults.sampling, HydraConfig.SamplingConfig())
        XCTAssertTrue(defaults.sampling.normalizeAnswers)
        XCTAssertTrue(defaults.selection.enabled)
        XCTAssertNil(defaults.labelling.adapterLabels, "generation labels are chosen on held-out users unless named")
        file.hydra.temperature = -1
        XCTAssertThrowsError(try RunSetup.resolveConfig(task: .newsHeadline, session: file, overrides: RunOverrides())) { error in
            XCTAssertTrue("\(error)".contains("sampling.temperature"), "\(error)")
        }
    }

    func testResolvedSettingsAreValidated_NamingTheSetting() {
        var flags = RunOverrides()
        flags.r = 7  // the session's k is 6
        XCTAssertThrowsError(try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: flags)) { error in
            guard case .invalidSetting(let name, _)? = error as? HydraEngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "retrieval.r")
        }
        var bad = session
        bad.hydra.adapterLabels = "bleu"
        XCTAssertThrowsError(try RunSetup.resolveConfig(task: .newsHeadline, session: bad, overrides: RunOverrides())) { error in
            guard case .invalidSetting(let name, let value)? = error as? HydraEngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "hydra.adapter_labels")
            XCTAssertTrue(value.contains("rouge"), value)
        }
        var zero = RunOverrides()
        zero.concurrentLLMCalls = 0
        XCTAssertThrowsError(try RunSetup.resolveConfig(task: .movieTag, session: nil, overrides: zero)) { error in
            XCTAssertEqual(error as? HydraEngineError, .invalidSetting(name: "runtime.concurrentLLMCalls", value: "0"))
        }
    }

    func testModelFlagWinsOverTheSessionsModel() throws {
        XCTAssertEqual(
            try RunSetup.resolveLLM(session: session, overrides: RunOverrides()),
            .openAI(baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: "session-model", apiKeyVariable: "KEY"))
        var flags = RunOverrides()
        flags.model = "flag-model"
        XCTAssertEqual(
            try RunSetup.resolveLLM(session: session, overrides: flags),
            .openAI(baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: "flag-model", apiKeyVariable: "KEY"))
        flags.llm = "embedded"
        XCTAssertEqual(try RunSetup.resolveLLM(session: session, overrides: flags), .embedded(precision: .int8))
        flags.llm = "http://other:8000/v1"
        flags.model = nil
        var bare = RunOverrides()
        bare.llm = "https://x/v1"
        XCTAssertEqual(
            try RunSetup.resolveLLM(session: nil, overrides: bare),
            .openAI(baseURL: URL(string: "https://x/v1")!, model: LLMChoice.defaultModelName, apiKeyVariable: nil))
        bare.llm = "ftp://x"
        XCTAssertThrowsError(try RunSetup.resolveLLM(session: nil, overrides: bare))
        XCTAssertEqual(try RunSetup.resolveLLM(session: nil, overrides: RunOverrides()), .embedded(precision: .int8))
    }

    func testPrecision_FlagThenSessionThenInt8_AndNotForAServer() throws {
        var embedded = session
        embedded.llm = .init(backend: "embedded", precision: "exact")
        XCTAssertEqual(try RunSetup.resolveLLM(session: embedded, overrides: RunOverrides()), .embedded(precision: .exact))
        var flags = RunOverrides()
        flags.precision = .int8
        XCTAssertEqual(try RunSetup.resolveLLM(session: embedded, overrides: flags), .embedded(precision: .int8))
        embedded.llm.precision = "fp4"
        XCTAssertThrowsError(try RunSetup.resolveLLM(session: embedded, overrides: RunOverrides())) { error in
            XCTAssertTrue("\(error)".contains("llm.precision must be exact or int8, not \"fp4\""), "\(error)")
        }
        // the session's server with a precision flag: the flag cannot apply
        XCTAssertThrowsError(try RunSetup.resolveLLM(session: session, overrides: flags)) { error in
            XCTAssertTrue("\(error)".contains("--precision applies to the embedded model"), "\(error)")
        }
    }

    func testLLMTimeoutFlag_ReachesTheChoice_AndAHostlessURLIsRefused() throws {
        var flags = RunOverrides()
        flags.llm = "http://127.0.0.1:9/v1"
        flags.llmTimeout = 7.5
        XCTAssertEqual(
            try RunSetup.resolveLLM(session: nil, overrides: flags),
            .openAI(baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: LLMChoice.defaultModelName, apiKeyVariable: nil,
                    requestTimeout: 7.5))
        flags.llm = "http:///v1"
        XCTAssertThrowsError(try RunSetup.resolveLLM(session: nil, overrides: flags)) { error in
            XCTAssertTrue("\(error)".contains("http:///v1 has no host"), "\(error)")
        }
    }

    func testEncoder_FlagThenSessionThenMiniLM() {
        var hashing = session
        hashing.encoder = "hashing"
        XCTAssertEqual(RunSetup.resolveEncoder(session: hashing, overrides: RunOverrides()), .hashing)
        var flags = RunOverrides()
        flags.encoder = .minilm
        XCTAssertEqual(RunSetup.resolveEncoder(session: hashing, overrides: flags), .minilm)
        XCTAssertEqual(RunSetup.resolveEncoder(session: nil, overrides: RunOverrides()), .minilm)
    }

    func testResolvedFingerprint_IgnoresRunOnlyFlags() throws {
        let plain = try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: RunOverrides())
        var runOnly = RunOverrides()
        runOnly.concurrentLLMCalls = 1
        runOnly.methods = [.hydra]
        runOnly.evalUsers = 1
        XCTAssertEqual(
            try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: runOnly).weightsFingerprint,
            plain.weightsFingerprint)
        var trained = RunOverrides()
        trained.seed = 12
        XCTAssertNotEqual(
            try RunSetup.resolveConfig(task: .movieTag, session: session, overrides: trained).weightsFingerprint,
            plain.weightsFingerprint)
    }

    func testStoreNames_UnchangedForSessionsAndDataDirectories() {
        let cache = URL(fileURLWithPath: "/cache")
        XCTAssertEqual(
            RunSource.session(session, file: nil).storeDirectory(cacheRoot: cache).path, "/cache/sessions/s")
        // the FNV-1a name `hydra run --data` has always used
        XCTAssertEqual(RunSource.data(URL(fileURLWithPath: "/data/LaMP_2")).name, "data-LaMP_2-" + fnvPrefix("/data/LaMP_2"))
    }

    private func fnvPrefix(_ text: String) -> String {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = (state ^ 0xff) &* 0x100_0000_01b3
        return String(String(state, radix: 16).prefix(8))
    }

    func testFlagParsing_KeepsTheCLIMessages() throws {
        XCTAssertEqual(try RunOverrides.parseMethods("rag,hydra"), [.rag, .hydra])
        XCTAssertThrowsError(try RunOverrides.parseMethods("rag,nope"))
        XCTAssertEqual(try RunOverrides.parseBaseWidths("64, 32"), [64, 32])
        XCTAssertEqual(try RunOverrides.parseBaseWidths("none"), [])
        XCTAssertThrowsError(try RunOverrides.parseBaseWidths("64,0")) { error in
            XCTAssertTrue("\(error)".contains("--base-widths"))
        }
        XCTAssertEqual(try RunOverrides.parseHeadInitialization("global"), .fromGlobal)
        XCTAssertEqual(try RunOverrides.parseAdapterLabels("rouge"), .rouge)
        XCTAssertEqual(try RunOverrides.parseAdapterLabels("listwise"), .listwise)
        XCTAssertThrowsError(try RunOverrides.parseAdapterLabels("bleu")) { error in
            XCTAssertEqual("\(error)", "--adapter-labels must be one of `gold`, `rouge`, `listwise`, not \"bleu\"")
        }
    }
}
