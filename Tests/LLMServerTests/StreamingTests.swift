import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import XCTest

/// Responses as the OpenAI API shapes them, read with plain HTTP clients (URLSession and a raw
/// TCP socket), never with this project's own client.
final class StreamingTests: XCTestCase {
    private let user = ChatMessage(role: "user", content: "hello world")

    // MARK: - Whole responses

    func testChatCompletion_HasTheAPIShape_UsageAndFinishReason() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": "hello world"]], "n": 2, "max_tokens": 20,
            ])
            XCTAssertEqual(reply.status, 200)
            let object = try reply.json()
            assertShape(object, .chatCompletion)
            let parameters = SamplingParameters(maxTokens: 20)
            let expected = (0..<2).map { EchoModel.expected(.chat([self.user]), parameters, index: $0) }
            let choices = try XCTUnwrap(object["choices"] as? [[String: Any]])
            XCTAssertEqual(choices.map { $0["finish_reason"] as? String }, expected.map(\.finishReason))
            let usage = try XCTUnwrap(object["usage"] as? [String: Int])
            // EchoModel counts one token per UTF-8 byte of "user>hello world" and of each answer
            XCTAssertEqual(usage["prompt_tokens"], "user>hello world".utf8.count)
            XCTAssertEqual(usage["completion_tokens"], expected.map(\.text.utf8.count).reduce(0, +))
            XCTAssertEqual(usage["total_tokens"], (usage["prompt_tokens"] ?? 0) + (usage["completion_tokens"] ?? 0))
        }
    }

    func testTextCompletion_HasTheAPIShape() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "abc", "max_tokens": 5])
            assertShape(try reply.json(), .textCompletion)
            XCTAssertEqual((try reply.json()["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String, "length")
        }
    }

    /// A backend's own finish reason (the embedded runtime's `endOfGeneration`, or anything else)
    /// goes out as the API's `stop`; typed clients fail to decode any other value.
    func testBackendFinishReasons_BecomeTheAPIsValues() async throws {
        struct OddReasons: LLMClient {
            var backendID: String { "fake" }
            var modelID: String { "odd" }
            func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
                [Completion(text: "a", finishReason: "endOfGeneration"), Completion(text: "b", finishReason: "length"),
                 Completion(text: "c", finishReason: "whatever")]
            }
            func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] { options.map { _ in 0 } }
        }
        try await withServer(model: OddReasons()) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "x", "n": 3])
            let choices = try XCTUnwrap(try reply.json()["choices"] as? [[String: Any]])
            XCTAssertEqual(choices.map { $0["finish_reason"] as? String }, ["stop", "length", "stop"])
            // a backend that cannot count tokens still reports usage (an estimate)
            let usage = try XCTUnwrap(try reply.json()["usage"] as? [String: Int])
            XCTAssertEqual(usage["total_tokens"], (usage["prompt_tokens"] ?? -1) + (usage["completion_tokens"] ?? -1))
            XCTAssertGreaterThan(usage["prompt_tokens"] ?? 0, 0)
        }
    }

    // MARK: - Streams

    func testChatStream_EventsAsTheAPISendsThem_WithUsageAndStopHeldBack() async throws {
        try await withServer { base, _ in
            let body: [String: Any] = [
                "messages": [["role": "user", "content": "hello world"]], "n": 2, "max_tokens": 60,
                "stop": ["WOR"], "stream": true, "stream_options": ["include_usage": true],
            ]
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: body)
            XCTAssertEqual(reply.status, 200)
            XCTAssertEqual(reply.headers["content-type"], "text/event-stream")
            let events = serverSentEvents(String(decoding: reply.body, as: UTF8.self))
            XCTAssertEqual(events.last, "[DONE]")
            let chunks = try events.dropLast().map {
                try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            for chunk in chunks { assertShape(chunk, .chatChunk(includeUsage: true)) }
            XCTAssertEqual(Set(chunks.compactMap { $0["id"] as? String }).count, 1, "every chunk has the same id")

            let parameters = SamplingParameters(maxTokens: 60, stop: ["WOR"])
            var contents = ["", ""]
            var roles = [[String]](repeating: [], count: 2)
            var finishes = [[String]](repeating: [], count: 2)
            for chunk in chunks.dropLast() {
                XCTAssertTrue(chunk["usage"] is NSNull)
                for choice in try XCTUnwrap(chunk["choices"] as? [[String: Any]]) {
                    let index = try XCTUnwrap(choice["index"] as? Int)
                    let delta = try XCTUnwrap(choice["delta"] as? [String: Any])
                    if let role = delta["role"] as? String {
                        roles[index].append(role)
                        XCTAssertTrue(contents[index].isEmpty, "the role comes first")
                    }
                    if let content = delta["content"] as? String {
                        XCTAssertFalse(content.contains("WOR"), "a stop string was sent: \(content)")
                        contents[index] += content
                    }
                    if let finish = choice["finish_reason"] as? String { finishes[index].append(finish) }
                }
            }
            for index in 0..<2 {
                let expected = EchoModel.expected(.chat([user]), parameters, index: index)
                XCTAssertEqual(contents[index], expected.text)
                XCTAssertEqual(roles[index], ["assistant"])
                XCTAssertEqual(finishes[index], ["stop"])
            }
            let last = try XCTUnwrap(chunks.last)
            XCTAssertEqual((last["choices"] as? [Any])?.count, 0)
            let usage = try XCTUnwrap(last["usage"] as? [String: Int])
            XCTAssertEqual(usage["prompt_tokens"], "user>hello world".utf8.count)
            XCTAssertEqual(usage["completion_tokens"], contents.map(\.utf8.count).reduce(0, +))
            XCTAssertEqual(usage["total_tokens"], (usage["prompt_tokens"] ?? 0) + (usage["completion_tokens"] ?? 0))
        }
    }

    func testCompletionsStream_TextChunks_NoUsageUnlessAsked() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: [
                "prompt": "abcdefghij", "max_tokens": 30, "stream": true,
            ])
            let events = serverSentEvents(String(decoding: reply.body, as: UTF8.self))
            XCTAssertEqual(events.last, "[DONE]")
            var text = ""
            var finish: [String] = []
            for event in events.dropLast() {
                let chunk = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
                assertShape(chunk, .textChunk(includeUsage: false))
                let choice = try XCTUnwrap((chunk["choices"] as? [[String: Any]])?.first)
                text += choice["text"] as? String ?? ""
                if let reason = choice["finish_reason"] as? String { finish.append(reason) }
            }
            let expected = EchoModel.expected(.raw("abcdefghij"), SamplingParameters(maxTokens: 30), index: 0)
            XCTAssertEqual(text, expected.text)
            XCTAssertEqual(finish, ["length"])
        }
    }

    func testStreamWithGuidedChoice_SendsTheOption() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": "the label is sports"]], "guided_choice": ["politics", "sports"],
                "temperature": 0, "stream": true,
            ])
            let events = serverSentEvents(String(decoding: reply.body, as: UTF8.self))
            let content = try events.dropLast().map { event -> String in
                let chunk = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
                let choice = (chunk["choices"] as? [[String: Any]])?.first
                return (choice?["delta"] as? [String: Any])?["content"] as? String ?? ""
            }.joined()
            XCTAssertEqual(content, "sports")
        }
    }

    func testStreamThatFailsBeforeAnyText_IsAPlainJSONError() async throws {
        try await withServer(model: EchoModel(failure: "weights missing")) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": "hi"]], "stream": true,
            ])
            try assertOpenAIError(reply, status: 500, mentions: ["weights missing"])
        }
    }

    /// Through a raw socket: the first event arrives while the model is still generating (the
    /// body is chunked, written event by event), and the stream is framed as the API frames it.
    func testStream_ArrivesIncrementally_OverARawSocket() async throws {
        // 41 characters in 4-character pieces, 150 ms apart: about 1.65 s of generation
        let model = EchoModel(pieceLatency: 0.15)
        try await withServer(model: model) { base, _ in
            let exchange = try await rawHTTP(port: try XCTUnwrap(base.port), path: "/v1/chat/completions", json: [
                "messages": [["role": "user", "content": "stream"]], "max_tokens": 41, "stream": true,
            ])
            XCTAssertTrue(exchange.statusLine.hasPrefix("HTTP/1.1 200"), exchange.statusLine)
            XCTAssertEqual(exchange.headers["content-type"], "text/event-stream")
            XCTAssertEqual(exchange.headers["transfer-encoding"]?.lowercased(), "chunked")
            let first = try XCTUnwrap(exchange.firstEventAfter)
            XCTAssertLessThan(first, 0.9, "the first event waited for the whole generation")
            XCTAssertGreaterThan(exchange.endedAfter, 1.5)
            XCTAssertGreaterThan(exchange.endedAfter - first, 0.6, "the events were spread over the generation")
            let events = serverSentEvents(exchange.text)
            XCTAssertEqual(events.last, "[DONE]")
            XCTAssertGreaterThan(events.count, 10, "one event per piece")
        }
    }

    /// A client that goes away mid-stream frees the model: the next request is served at once
    /// instead of after the abandoned generation's remaining ~6 s.
    func testClientLeavingMidStream_CancelsTheGeneration() async throws {
        let model = EchoModel(pieceLatency: 0.1)
        try await withServer(model: model) { base, _ in
            let port = try XCTUnwrap(base.port)
            let abandoned = try await rawHTTP(port: port, path: "/v1/completions", json: [
                "prompt": String(repeating: "x", count: 300), "max_tokens": 250, "stream": true,
            ], closeAfterFirstEvent: true)
            XCTAssertNotNil(abandoned.firstEventAfter)
            let started = Date()
            let next = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "next"], timeout: 20)
            XCTAssertEqual(next.status, 200)
            XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
        }
    }
}
