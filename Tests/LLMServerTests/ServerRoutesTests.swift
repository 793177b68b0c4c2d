import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import XCTest

final class ServerRoutesTests: XCTestCase {
    // MARK: - Happy paths

    func testModels_ListsTheWrappedModel() async throws {
        try await withServer(model: EchoModel(modelID: "tiny-7")) { base, _ in
            let reply = try await send("GET", base.appendingPathComponent("models"))
            XCTAssertEqual(reply.status, 200)
            let data = try XCTUnwrap(try reply.json()["data"] as? [[String: Any]])
            XCTAssertEqual(data.first?["id"] as? String, "tiny-7")
        }
    }

    func testChatCompletions_ReturnsNChoicesFromModel() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "model": "x", "n": 3, "temperature": 0.5, "seed": 9, "max_tokens": 500,
                "messages": [["role": "user", "content": "hello"]],
            ])
            XCTAssertEqual(reply.status, 200)
            let object = try reply.json()
            XCTAssertEqual(object["object"] as? String, "chat.completion")
            let choices = try XCTUnwrap(object["choices"] as? [[String: Any]])
            XCTAssertEqual(choices.count, 3)
            let params = SamplingParameters(temperature: 0.5, maxTokens: 500, seed: 9)
            for (i, choice) in choices.enumerated() {
                let message = try XCTUnwrap(choice["message"] as? [String: Any])
                let expected = EchoModel.expected(.chat([ChatMessage(role: "user", content: "hello")]), params, index: i)
                XCTAssertEqual(message["content"] as? String, expected.text)
                XCTAssertEqual(choice["index"] as? Int, i)
            }
        }
    }

    func testCompletions_RawPromptAndStopAndLength() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: [
                "prompt": "abc def", "max_tokens": 12, "stop": ["never-there"],
            ])
            let choice = try XCTUnwrap((try reply.json()["choices"] as? [[String: Any]])?.first)
            XCTAssertEqual(choice["text"] as? String, "echo#0 seed=")
            XCTAssertEqual(choice["finish_reason"] as? String, "length")
        }
    }

    func testGuidedChoice_AnswersWithBestOptionAndLogprobs() async throws {
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("chat/completions"), json: [
                "messages": [["role": "user", "content": "the label is sports"]],
                "guided_choice": ["politics", "sports", "science"], "temperature": 0,
                "logprobs": true, "top_logprobs": 3,
            ])
            XCTAssertEqual(reply.status, 200)
            let choice = try XCTUnwrap((try reply.json()["choices"] as? [[String: Any]])?.first)
            XCTAssertEqual((choice["message"] as? [String: Any])?["content"] as? String, "sports")
            let content = try XCTUnwrap((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
            let top = try XCTUnwrap(content.first?["top_logprobs"] as? [[String: Any]])
            XCTAssertEqual(top.compactMap { $0["token"] as? String }, ["politics", "sports", "science"])
        }
    }

    func testGuidedChoice_SampledAtTemperature_IsSeededAndFollowsScores() async throws {
        try await withServer { base, _ in
            let body: [String: Any] = ["prompt": "x", "guided_choice": ["a1", "b2"], "temperature": 1, "n": 16, "seed": 5]
            let first = try await send("POST", base.appendingPathComponent("completions"), json: body)
            let second = try await send("POST", base.appendingPathComponent("completions"), json: body)
            let texts = { (reply: RawReply) throws -> [String] in
                try XCTUnwrap(try reply.json()["choices"] as? [[String: Any]]).compactMap { $0["text"] as? String }
            }
            XCTAssertEqual(try texts(first), try texts(second))
            // Scores 0 and -0.1: both options must appear among 16 draws (n is capped at 16).
            XCTAssertEqual(Set(try texts(first)), ["a1", "b2"])
        }
    }

    func testEmbeddings_ServedOnlyWhenGiven() async throws {
        let embed: @Sendable ([String]) async throws -> [[Float]] = { inputs in inputs.map { [Float($0.count), 1] } }
        try await withServer(embed: embed) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("embeddings"), json: ["input": ["ab", "abcd"]])
            let data = try XCTUnwrap(try reply.json()["data"] as? [[String: Any]])
            XCTAssertEqual(data.map { ($0["embedding"] as? [Double]) ?? [] }, [[2, 1], [4, 1]])
        }
        try await withServer { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("embeddings"), json: ["input": "ab"])
            XCTAssertEqual(reply.status, 404)
        }
    }

    // MARK: - Errors

    func testBadRequest_NamesTheField() async throws {
        try await withServer { base, _ in
            let url = base.appendingPathComponent("chat/completions")
            let cases: [(Any, String)] = [
                (["model": "x"], "messages"),
                (["messages": [["role": "user", "content": "a"]], "temperature": "hot"], "temperature"),
                (["messages": [["role": "user", "content": "a"]], "n": 0], "n"),
                (["messages": [["role": "user", "content": "a"]], "stop": [1]], "stop[0]"),
                (["messages": [["role": "user"]]], "messages[0].content"),
                (["messages": [["role": "user", "content": "a"]], "stream": "yes"], "stream"),
                (["messages": [["role": "user", "content": "a"]], "stream": true, "stream_options": ["include_usage": 1]],
                 "stream_options.include_usage"),
            ]
            for (body, field) in cases {
                let reply = try await send("POST", url, json: body)
                XCTAssertEqual(reply.status, 400, "\(field)")
                let error = try XCTUnwrap(try reply.json()["error"] as? [String: Any])
                XCTAssertEqual(error["param"] as? String, field)
                XCTAssertTrue((error["message"] as? String ?? "").contains(field), "\(error)")
            }
            let invalid = try await send("POST", url, rawBody: Data("{not json".utf8))
            XCTAssertEqual(invalid.status, 400)
        }
    }

    func testUnknownRouteAndWrongMethod() async throws {
        try await withServer { base, _ in
            let unknown = try await send("GET", base.appendingPathComponent("nope"))
            let wrongMethod = try await send("GET", base.appendingPathComponent("chat/completions"))
            XCTAssertEqual(unknown.status, 404)
            XCTAssertEqual(wrongMethod.status, 405)
        }
    }

    func testModelError_Becomes500WithMessage() async throws {
        try await withServer(model: EchoModel(failure: "weights missing")) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "a"])
            XCTAssertEqual(reply.status, 500)
            let message = (try reply.json()["error"] as? [String: Any])?["message"] as? String
            XCTAssertTrue(message?.contains("weights missing") ?? false)
        }
    }

    // MARK: - Lifecycle

    func testStop_ReleasesThePort() async throws {
        let server = OpenAICompatibleServer(model: EchoModel())
        let port = try await server.start()
        XCTAssertGreaterThan(port, 0)
        let url = await server.baseURL
        let base = try XCTUnwrap(url)
        let reply = try await send("GET", base.appendingPathComponent("models"))
        XCTAssertEqual(reply.status, 200)
        await server.stop(gracePeriod: 0.05)
        let again = OpenAICompatibleServer(model: EchoModel(), port: port)
        let rebound = try await again.start()
        XCTAssertEqual(rebound, port)
        await again.stop(gracePeriod: 0.05)
    }

    func testNonLoopbackHost_IsRefused() async throws {
        let server = OpenAICompatibleServer(model: EchoModel(), host: "0.0.0.0")
        do {
            try await server.start()
            XCTFail("bound a non-loopback host")
        } catch let error as LLMServerError {
            XCTAssertEqual(error, .nonLoopbackHost("0.0.0.0"))
        }
    }
}
