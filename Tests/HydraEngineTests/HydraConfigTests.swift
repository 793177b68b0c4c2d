import HydraEngine
import LaMP
import Training
import XCTest

final class HydraConfigTests: XCTestCase {
    private func assertInvalid(
        _ name: String, file: StaticString = #filePath, line: UInt = #line, _ change: (inout HydraConfig) -> Void
    ) {
        var config = HydraConfig(task: .movieTag)
        change(&config)
        XCTAssertThrowsError(try config.validate(), file: file, line: line) { error in
            guard case .invalidSetting(let named, _)? = error as? HydraEngineError else {
                return XCTFail("\(error)", file: file, line: line)
            }
            XCTAssertEqual(named, name, file: file, line: line)
        }
    }

    func testDefaults_AreValid() throws {
        try HydraConfig(task: .movieTag).validate()
        var small = HydraConfig(task: .productRating)
        small.retrieval.k = 3
        XCTAssertNoThrow(try small.validate(), "the default labelK 4 is capped at k, not an error")
        XCTAssertEqual(small.labelling.itemsLabelled(k: small.retrieval.k), 3)
    }

    func testValidate_NamesTheSettingOutOfRange() {
        assertInvalid("retrieval.k") { $0.retrieval.k = 0 }
        assertInvalid("retrieval.r") { $0.retrieval.r = 0 }
        assertInvalid("retrieval.r") { $0.retrieval.r = 11 }
        assertInvalid("retrieval.promptTokens") { $0.retrieval.promptTokens = 15 }
        assertInvalid("labelling.labelK") { $0.labelling.labelK = 0 }
        assertInvalid("labelling.trainQuestionsPerUser") { $0.labelling.trainQuestionsPerUser = -1 }
        assertInvalid("labelling.pseudoQueriesPerTrainUser") { $0.labelling.pseudoQueriesPerTrainUser = -1 }
        assertInvalid("labelling.pseudoQueriesPerEvalUser") { $0.labelling.pseudoQueriesPerEvalUser = -1 }
        assertInvalid("labelling.adapterPseudoQueriesPerTrainUser") { $0.labelling.adapterPseudoQueriesPerTrainUser = -1 }
        assertInvalid("labelling.adapterPseudoQueriesPerEvalUser") { $0.labelling.adapterPseudoQueriesPerEvalUser = -2 }
        assertInvalid("sampling.n") { $0.sampling.n = 0 }
        assertInvalid("sampling.maxNewTokens") { $0.sampling.maxNewTokens = 0 }
        assertInvalid("training.baseWidths") { $0.training.baseWidths = [64, 0] }
        assertInvalid("training.joint.epochs") { $0.training.joint.epochs = 0 }
        assertInvalid("training.fit.batchSize") { $0.training.fit.batchSize = 0 }
        assertInvalid("selection.fitEpochs") { $0.selection.fitEpochs = [] }
        assertInvalid("selection.fitEpochs") { $0.selection.fitEpochs = [5, 0] }
        assertInvalid("selection.fitLearningRates") { $0.selection.fitLearningRates = [.nan] }
        assertInvalid("training.joint.learningRate") { $0.training.joint.learningRate = 0 }
        assertInvalid("training.fit.learningRate") { $0.training.fit.learningRate = .infinity }
        assertInvalid("runtime.concurrentLLMCalls") { $0.runtime.concurrentLLMCalls = 0 }
        assertInvalid("trainUsers") { $0.trainUsers = 0 }
        assertInvalid("evalUsers") { $0.evalUsers = 0 }
        assertInvalid("methods") { $0.methods = [] }
    }

    func testTrainingSettings_TakeTheRunSeedWhateverTheyCarry() {
        var config = HydraConfig(task: .movieTag)
        config.sampling.seed = 42
        config.training.joint.seed = 7
        XCTAssertEqual(config.jointTrainingSettings.seed, 42)
        XCTAssertEqual(config.fitTrainingSettings.seed, 42)
        XCTAssertEqual(config.jointTrainingSettings.epochs, config.training.joint.epochs)
    }

    func testWeightsFingerprint_OnlySettingsThatShapeWeights() {
        let base = HydraConfig(task: .movieTag)
        func fingerprint(_ change: (inout HydraConfig) -> Void) -> String {
            var config = base
            change(&config)
            return config.weightsFingerprint
        }
        // reach the weights only through the examples (hashed separately), or never
        let same: [(String, (inout HydraConfig) -> Void)] = [
            ("concurrentLLMCalls", { $0.runtime.concurrentLLMCalls = 1 }),
            ("methods", { $0.methods = [.rag, .hydra] }),
            ("evalUsers", { $0.evalUsers = 3 }),
            ("trainUsers", { $0.trainUsers = 5 }),
            ("k", { $0.retrieval.k = 5 }),
            ("n", { $0.sampling.n = 4 }),
            ("labelK", { $0.labelling.labelK = 2 }),
            ("ignored training seed", { $0.training.joint.seed = 99 }),
        ]
        for (name, change) in same { XCTAssertEqual(fingerprint(change), base.weightsFingerprint, name) }
        let different: [(String, (inout HydraConfig) -> Void)] = [
            ("epochs", { $0.training.joint.epochs += 1 }),
            ("fit learning rate", { $0.training.fit.learningRate = 1e-2 }),
            ("seed", { $0.sampling.seed = 1 }),
            ("baseWidths", { $0.training.baseWidths = [32] }),
            ("fitInitialization", { $0.training.fitInitialization = .fresh }),
            ("task", { $0.task = .newsCategory }),
        ]
        for (name, change) in different { XCTAssertNotEqual(fingerprint(change), base.weightsFingerprint, name) }
    }
}
