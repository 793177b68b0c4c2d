import DemoData
import Encoder
import Foundation
import GenerationCache
import HydraEngine
import LaMP
import LLM
import SessionStore
import TestSupport
import XCTest

/// One small end-to-end run with the real embedded SmolLM2 (skipped when its file is absent).
final class EmbeddedRunTests: XCTestCase {
    func testRun_EmbeddedLLM_TinyDemo_AllMethodsScored() async throws {
        let modelURL = ReferenceData.modelsDirectory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
        guard FileManager.default.fileExists(atPath: modelURL.path) else { throw XCTSkip("no model at \(modelURL.path)") }
        let llm = try EmbeddedLLM(modelURL: modelURL)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-embedded-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let spec = DemoSpec(task: .movieTag, users: 3, seed: 5, profileSize: 12...16, questionsPerUser: 1)
        _ = try DemoGenerator(spec: spec).write(to: root.appendingPathComponent("data"))
        let dataset = try LaMPDataset.load(directory: root.appendingPathComponent("data"))
        let store = try SessionStore(directory: root.appendingPathComponent("session"))
        var config = HydraConfig(task: .movieTag)
        config.retrieval.k = 2
        config.retrieval.r = 1
        config.sampling.n = 4
        config.labelling.trainQuestionsPerUser = 1
        config.labelling.pseudoQueriesPerTrainUser = 0
        config.labelling.pseudoQueriesPerEvalUser = 1
        config.labelling.adapterPseudoQueriesPerEvalUser = 1
        config.retrieval.promptTokens = 160
        config.training.baseWidths = [8]
        config.training.joint.epochs = 2
        config.training.fit.epochs = 2
        let pipeline = HydraPipeline(
            dataset: dataset, config: config, client: try CachedLLMClient(wrapping: llm, database: store.database),
            encoder: HashingEncoder(), embeddings: EmbeddingCache(store: store), store: store,
            tokenCounter: WhitespaceTokenCounter())
        let results = try await pipeline.run()
        XCTAssertEqual(Set(results.methods.keys), Set(HydraMethod.allCases.filter { $0.applies(to: .movieTag) }.map(\.rawValue)))
        let labels = Set(LaMPTask.movieTag.labels ?? [])
        for (method, predictions) in results.predictions {
            XCTAssertTrue(predictions.allSatisfy { labels.contains($0.output) }, "\(method): constrained choice must give labels")
        }
        XCTAssertGreaterThan(try store.summary().cachedGenerations, 0)
    }
}
