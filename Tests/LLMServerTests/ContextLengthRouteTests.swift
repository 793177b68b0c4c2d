import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LLM
import LLMInterface
import LLMServer
import TestSupport
import XCTest

/// A fake model whose tokens are the prompt's UTF-8 bytes, with a small context window.
private struct ByteTokenModel: LLMClient {
    var backendID: String { "fake" }
    var modelID: String { "bytes-64" }
    let contextLength = 64

    private func promptTokens(_ prompt: LLMPrompt) -> Int {
        switch prompt {
        case .raw(let text): text.utf8.count
        case .chat(let messages): messages.map(\.content.utf8.count).reduce(0, +)
        }
    }

    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        try ContextLengthExceeded.check(promptTokens: promptTokens(prompt), followingTokens: parameters.maxTokens,
                                        contextLength: contextLength)
        return Array(repeating: Completion(text: "ok", finishReason: "stop"), count: n)
    }

    func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        try ContextLengthExceeded.check(promptTokens: promptTokens(prompt), followingTokens: 0, contextLength: contextLength)
        return options.map { _ in -1 }
    }
}

final class ContextLengthRouteTests: XCTestCase {
    private func errorObject(_ reply: RawReply) throws -> [String: Any] {
        try XCTUnwrap(try reply.json()["error"] as? [String: Any])
    }

    func testOverlongPrompt_Gets400ContextLengthExceeded_NamingCountsAndLimit() async throws {
        try await withServer(model: ByteTokenModel()) { base, _ in
            let chat = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": String(repeating: "x", count: 60)]], "max_tokens": 5,
            ])
            XCTAssertEqual(chat.status, 400)
            let error = try errorObject(chat)
            XCTAssertEqual(error["code"] as? String, "context_length_exceeded")
            XCTAssertEqual(error["type"] as? String, "invalid_request_error")
            XCTAssertEqual(error["param"] as? String, "messages")
            let message = try XCTUnwrap(error["message"] as? String)
            XCTAssertTrue(message.contains("maximum context length is 64 tokens"), message)
            XCTAssertTrue(message.contains("you requested 65 tokens (60 in the messages, 5 in the completion)"), message)

            let completion = try await send("POST", base.appendingPathComponent("completions"), json: [
                "prompt": String(repeating: "x", count: 65), "max_tokens": 0,
            ])
            XCTAssertEqual(completion.status, 400)
            XCTAssertEqual(try errorObject(completion)["param"] as? String, "prompt")

            let guided = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": String(repeating: "x", count: 65)]], "guided_choice": ["a", "b"],
            ])
            XCTAssertEqual(guided.status, 400)
            XCTAssertEqual(try errorObject(guided)["code"] as? String, "context_length_exceeded")
        }
    }

    func testPromptAtTheLimit_IsAnswered() async throws {
        try await withServer(model: ByteTokenModel()) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": String(repeating: "x", count: 59)]], "max_tokens": 5,
            ])
            XCTAssertEqual(reply.status, 200)
        }
    }

    func testBodyOverTheCap_Gets413() async throws {
        let server = OpenAICompatibleServer(model: ByteTokenModel(), limits: ServerLimits(maxRequestBytes: 1024))
        try await server.start()
        let url = await server.baseURL
        let base = try XCTUnwrap(url)
        let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
            "messages": [["role": "user", "content": String(repeating: "x", count: 2000)]],
        ])
        await server.stop(gracePeriod: 0.05)
        XCTAssertEqual(reply.status, 413)
        XCTAssertEqual(try errorObject(reply)["type"] as? String, "invalid_request_error")
    }

    /// The request that used to abort `hydra serve` (a 41 GB KV cache): the real model refuses it
    /// with 400 after tokenizing, quickly and without the process growing by more than a few hundred MB.
    func testTenMegabyteChat_RealModel_Gets400Quickly_InBoundedMemory() async throws {
        let modelURL = ReferenceData.modelsDirectory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
        guard FileManager.default.fileExists(atPath: modelURL.path) else { throw XCTSkip("no model at \(modelURL.path)") }
        let llm = try EmbeddedLLM(modelURL: modelURL)
        var content = ""
        content.reserveCapacity(10 << 20)
        while content.utf8.count < 10 << 20 { content += "The quick brown fox jumps over the lazy dog. " }
        let body = try JSONSerialization.data(withJSONObject: [
            "messages": [["role": "user", "content": content]], "max_tokens": 16,
        ])
        content = ""
        try await withServer(model: llm) { base, _ in
            let memory = ResidentMemoryWatch()
            let started = Date()
            var request = URLRequest(url: base.appendingPathComponent("chat/completions"), timeoutInterval: 60)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let (data, response) = try await URLSession.shared.data(for: request)
            let seconds = Date().timeIntervalSince(started)
            let growth = memory.stop()
            print(String(format: "10 MB chat request answered in %.2f s; peak resident memory grew by %d MB", seconds, growth))
            XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 400)
            let error = try XCTUnwrap((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["error"] as? [String: Any])
            XCTAssertEqual(error["code"] as? String, "context_length_exceeded")
            let message = try XCTUnwrap(error["message"] as? String)
            XCTAssertTrue(message.contains("maximum context length is \(llm.contextLength) tokens"), message)
            XCTAssertLessThan(seconds, 30)
            XCTAssertLessThan(growth, 500)
        }
    }
}
