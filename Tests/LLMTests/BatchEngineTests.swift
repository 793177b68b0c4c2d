import LLMInterface
import XCTest
@testable import LLM

/// Continuous batching: requests of different prompts in one batch give what each gives alone,
/// whatever else is in the batch; cancellation, the memory budget and prefix reuse.
final class BatchEngineTests: XCTestCase {
    private func model() throws -> (LlamaModel, BPETokenizer) { (try Fixtures.model.get(), try Fixtures.tokenizer.get()) }

    private func engine(budget: Int = 100_000, prefixPositions: Int = 0) throws -> BatchEngine {
        let (model, tokenizer) = try model()
        return BatchEngine(model: model, tokenizer: tokenizer, state: model.makeState(maxRows: 64, maxContext: 512),
                           positionBudget: budget, prefixCachePositions: prefixPositions)
    }

    private func chat(_ text: String) throws -> [Int] {
        try Fixtures.tokenizer.get().encode(ChatTemplate.format([.user(text)]), parseSpecial: true)
    }

    /// What one request gives alone in a fresh engine.
    private func alone(_ prompt: [Int], _ work: BatchWork) throws -> BatchOutput {
        try engine().runAlone(promptTokens: prompt, work: work, onToken: nil)
    }

    /// Submits requests and steps until all have ended; returns their results in order.
    private final class Outcomes {
        var results: [Result<BatchOutput, Error>?]
        init(_ count: Int) { results = Array(repeating: nil, count: count) }
    }

    private func submit(_ engine: BatchEngine, _ prompt: [Int], _ work: BatchWork, _ outcomes: Outcomes, _ i: Int,
                        cancelled: @escaping () -> Bool = { false }) {
        engine.submit(BatchRequest(promptTokens: prompt, work: work, onToken: nil, isCancelled: cancelled,
                                   finish: { outcomes.results[i] = $0 }))
    }

    private func samples(_ output: BatchOutput?) -> [GeneratedSample]? {
        if case .samples(let s) = output { return s }
        return nil
    }

    private func scores(_ output: BatchOutput?) -> [Double]? {
        if case .choice(let s) = output { return s }
        return nil
    }

    func testDifferentPrompts_InOneBatch_EqualEachAlone() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let prompts = try [chat("Name a fruit."), chat("What is the capital of France?"), chat("Write a haiku about rain."),
                           chat("Which tag fits a film about robots: sci-fi or romance?")]
        let works: [BatchWork] = [
            .generate(parameters: .greedy(maxTokens: 12), n: 1),
            .generate(parameters: SamplingParameters(temperature: 0.8, topP: 0.95, maxTokens: 10, seed: 5), n: 3),
            .generate(parameters: .greedy(maxTokens: 16), n: 2),
            .choose(answers: ["sci-fi", "romance", "science fiction"].map { tokenizer.encode($0) }),
        ]
        let engine = try engine()
        let outcomes = Outcomes(prompts.count)
        for i in prompts.indices { submit(engine, prompts[i], works[i], outcomes, i) }
        XCTAssertEqual(engine.occupancy.waiting, 4)
        var steps = 0
        while engine.hasWork {
            engine.step()
            steps += 1
            if steps == 1 { XCTAssertEqual(engine.occupancy.active, 4, "every request joins the first step") }
        }
        for i in prompts.indices {
            let batched = try XCTUnwrap(outcomes.results[i]).get()
            let single = try alone(prompts[i], works[i])
            if case .choose = works[i] {
                let (a, b) = (try XCTUnwrap(scores(batched)), try XCTUnwrap(scores(single)))
                for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-3) }
            } else {
                XCTAssertEqual(samples(batched)?.map(\.tokens), samples(single)?.map(\.tokens), "request \(i)")
            }
        }
        // fewer steps than the requests one after another: they decoded together
        XCTAssertLessThan(steps, 12 + 10 + 16 + 2)
    }

    func testCancelledRequest_LeavesTheOthersUntouched() throws {
        let prompts = try [chat("Count from one to twenty."), chat("Tell me about the sea.")]
        let work = BatchWork.generate(parameters: .greedy(maxTokens: 20), n: 2)
        let engine = try engine()
        let outcomes = Outcomes(2)
        var cancel = false
        submit(engine, prompts[0], work, outcomes, 0, cancelled: { cancel })
        submit(engine, prompts[1], work, outcomes, 1)
        for _ in 0..<4 { engine.step() }
        cancel = true
        while engine.hasWork { engine.step() }
        XCTAssertThrowsError(try XCTUnwrap(outcomes.results[0]).get()) { XCTAssertEqual($0 as? LLMError, .cancelled) }
        let kept = try XCTUnwrap(outcomes.results[1]).get()
        XCTAssertEqual(samples(kept)?.map(\.tokens), samples(try alone(prompts[1], work))?.map(\.tokens))
    }

    func testMemoryBudget_RequestsWaitRatherThanAllocate() throws {
        let prompts = try [chat("Say yes."), chat("Say no.")]
        let work = BatchWork.generate(parameters: .greedy(maxTokens: 8), n: 1)
        // room for one request's worst case (prompt + 8 tokens), not two
        let engine = try engine(budget: prompts[0].count + 8 + 4)
        let outcomes = Outcomes(2)
        submit(engine, prompts[0], work, outcomes, 0)
        submit(engine, prompts[1], work, outcomes, 1)
        engine.step()
        XCTAssertEqual(engine.occupancy.active, 1)
        XCTAssertEqual(engine.occupancy.waiting, 1)
        while outcomes.results[0] == nil { engine.step() }
        while engine.hasWork { engine.step() }
        for i in 0..<2 {
            XCTAssertEqual(samples(try XCTUnwrap(outcomes.results[i]).get())?.map(\.tokens),
                           samples(try alone(prompts[i], work))?.map(\.tokens))
        }
    }

    func testPromptOverContext_IsRefusedBeforeItJoins() throws {
        let engine = try engine()
        let outcomes = Outcomes(2)
        let long = Array(repeating: 100, count: 600)  // the state holds 512 positions
        submit(engine, long, .generate(parameters: .greedy(maxTokens: 4), n: 1), outcomes, 0)
        submit(engine, try chat("Hi."), .generate(parameters: .greedy(maxTokens: 4), n: 1), outcomes, 1)
        engine.step()
        XCTAssertThrowsError(try XCTUnwrap(outcomes.results[0]).get()) { XCTAssertTrue($0 is ContextLengthExceeded, "\($0)") }
        XCTAssertEqual(engine.occupancy.active, 1)
        while engine.hasWork { engine.step() }
        XCTAssertNoThrow(try XCTUnwrap(outcomes.results[1]).get())
    }

    /// A prompt that starts like an earlier one continues from its cache, with the same result:
    /// the shared start's whole blocks of `LlamaState.attentionBlockRows` positions are copied.
    func testPrefixReuse_CopiesTheSharedStartsWholeBlocks_AndChangesNothing() throws {
        let work = BatchWork.generate(parameters: .greedy(maxTokens: 10), n: 1)
        let story = "A keeper lived in a lighthouse on a rock far out at sea, and every night he climbed the stairs."
        let first = try chat(story + " Describe his morning in three sentences.")
        let second = try chat(story + " Describe his evening in three sentences.")
        let engine = try engine(prefixPositions: 1024)
        _ = try engine.runAlone(promptTokens: first, work: work, onToken: nil)
        XCTAssertEqual(engine.reusedPromptTokens, 0)
        let reused = try engine.runAlone(promptTokens: second, work: work, onToken: nil)
        let shared = zip(first, second).prefix { $0 == $1 }.count
        let blocks = LlamaState.attentionBlockRows
        XCTAssertGreaterThan(shared % blocks, 0, "a start that ends inside a block")
        XCTAssertEqual(engine.reusedPromptTokens, shared - shared % blocks)
        XCTAssertGreaterThan(engine.reusedPromptTokens, 0)
        XCTAssertEqual(samples(reused)?.map(\.tokens), samples(try alone(second, work))?.map(\.tokens))
        // the same prompt again reuses all its whole blocks short of its last token, whose logits start the answer
        _ = try engine.runAlone(promptTokens: second, work: work, onToken: nil)
        XCTAssertEqual(engine.reusedPromptTokens, BatchEngine.alignedReuse(shared) + BatchEngine.alignedReuse(second.count - 1))
    }

    /// Two prompts with a long shared start submitted together: the second waits for the first's
    /// prompt and continues from its cache instead of computing the same start beside it.
    func testSharedStart_SubmittedTogether_IsComputedOnce() throws {
        let work = BatchWork.generate(parameters: .greedy(maxTokens: 6), n: 1)
        let story = "A keeper lived in a lighthouse on a rock far out at sea, and every night he climbed the stairs."
        let first = try chat(story + " What did he see?")
        let second = try chat(story + " What did he hear?")
        let shared = zip(first, second).prefix { $0 == $1 }.count
        XCTAssertGreaterThan(shared, BatchEngine.worthWaiting)
        let engine = try engine(prefixPositions: 1024)
        let outcomes = Outcomes(2)
        submit(engine, first, work, outcomes, 0)
        submit(engine, second, work, outcomes, 1)
        engine.step()
        XCTAssertEqual(engine.occupancy.waiting, 1, "the second prompt waits for the first's shared start")
        while engine.hasWork { engine.step() }
        XCTAssertEqual(engine.reusedPromptTokens, BatchEngine.alignedReuse(shared))
        XCTAssertGreaterThan(engine.reusedPromptTokens, 0)
        XCTAssertEqual(samples(try XCTUnwrap(outcomes.results[1]).get())?.map(\.tokens),
                       samples(try alone(second, work))?.map(\.tokens))
    }

    func testConcurrentClientCalls_JoinOneBatch_AndEqualSerialCalls() async throws {
        let llm = try EmbeddedLLM(modelURL: Fixtures.modelURL)
        let questions = ["Name a colour.", "Name an animal.", "Name a city.", "Name a tree."]
        let parameters = SamplingParameters(temperature: 0.7, topP: 0.9, maxTokens: 8, seed: 3)
        var serial: [[Completion]] = []
        for q in questions { serial.append(try await llm.generate(.chat([.user(q)]), parameters: parameters, n: 2)) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, [Completion]).self) { group in
            for (i, q) in questions.enumerated() {
                group.addTask { (i, try await llm.generate(.chat([.user(q)]), parameters: parameters, n: 2)) }
            }
            var out = [[Completion]](repeating: [], count: questions.count)
            for try await (i, c) in group { out[i] = c }
            return out
        }
        XCTAssertEqual(concurrent.map { $0.map(\.tokenIDs) }, serial.map { $0.map(\.tokenIDs) })
    }
}
