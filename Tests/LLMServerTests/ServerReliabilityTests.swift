import Foundation
import LLM
import LLMInterface
import LLMServer
import LLMTestSupport
import TestSupport
import XCTest

/// A tiny seeded generator for the fuzz cases (SplitMix64's mixing; the test target does not
/// depend on Numerics).
private struct FuzzRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Bounded reliability runs against a live loopback server: a fuzz of the request parser and a
/// load of concurrent sampling requests.
final class ServerReliabilityTests: XCTestCase {
    /// Values of every JSON type, including the awkward ones.
    private static let oddValues: [String] = [
        "null", "true", "false", "0", "-1", "1e400", "-1e400", "1.5", "99999999999999999999999999",
        "-9223372036854775809", "9223372036854775807", "\"\"", "\"x\"", "[]", "{}", "[\"\"]", "[1,2]",
        "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\"", "[null]", "[[]]", "1e-400", "\"\(String(repeating: "y", count: 3000))\"",
    ]
    private static let fields = [
        "prompt", "messages", "n", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "seed",
        "stop", "guided_choice", "logprobs", "stream", "stream_options", "model",
    ]

    /// One hostile body: random bytes, a valid request cut short, a field of the wrong type, deep
    /// nesting, invalid UTF-8, or a valid request with random odd values.
    private static func hostileBody(_ random: inout FuzzRandom) -> (body: Data, kind: String) {
        let valid = #"{"messages":[{"role":"user","content":"hi"}],"n":2,"max_tokens":8,"stop":["x"],"temperature":0.5}"#
        switch random.below(7) {
        case 0:
            return (Data((0..<random.below(200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }), "random bytes")
        case 1:
            return (Data(valid.utf8.prefix(random.below(valid.utf8.count))), "truncated JSON")
        case 2:
            let field = random.pick(fields)
            let value = random.pick(oddValues)
            return (Data(#"{"messages":[{"role":"user","content":"hi"}],"\#(field)":\#(value)}"#.utf8), "\(field)=\(value.prefix(40))")
        case 3:
            let depth = 10 + random.below(200_000)
            let open = random.below(2) == 0 ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            let body = #"{"prompt":"a","x":"# + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + "}"
            return (Data(body.utf8), "nesting \(depth)")
        case 4:
            var bytes = [UInt8](valid.utf8)
            let at = 30 + random.below(10)
            bytes.insert(contentsOf: [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80], at: at)
            return (Data(bytes), "invalid UTF-8")
        case 5:
            let messages = random.pick([#"[]"#, #"[{"role":"user"}]"#, #"[{"content":"x"}]"#, #"[{"role":1,"content":"x"}]"#,
                                        #"[{"role":"user","content":[{"type":"image_url"}]}]"#, #"[{"role":"user","content":""}]"#, #""x""#])
            return (Data(#"{"messages":\#(messages)}"#.utf8), "messages \(messages)")
        default:
            var object = "{\"prompt\":\"p\""
            for _ in 0..<(1 + random.below(4)) { object += ",\"\(random.pick(fields))\":\(random.pick(oddValues))" }
            return (Data((object + "}").utf8), "mixed")
        }
    }

    /// 300 hostile bodies with a fixed seed: each is answered, never with a 5xx or an empty body,
    /// and every refusal is a 4xx in the OpenAI error shape; the server still serves afterwards.
    func testRequestParserFuzz_EveryBodyGetsA4xxJSONErrorOrAnAnswer() async throws {
        var random = FuzzRandom(seed: 14)
        let started = Date()
        var refused = 0
        try await withServer(model: EchoModel()) { base, _ in
            for index in 0..<300 {
                let (body, kind) = Self.hostileBody(&random)
                let route = random.below(2) == 0 ? "chat/completions" : "completions"
                let reply = try await send("POST", base.appendingPathComponent(route), rawBody: body, timeout: 10)
                let context = "case \(index) (\(kind)) on \(route): \(reply.status) \(String(decoding: reply.body.prefix(300), as: UTF8.self))"
                XCTAssertFalse(reply.body.isEmpty, context)
                XCTAssertTrue(reply.status == 200 || (400..<500).contains(reply.status), context)
                if reply.status == 200 {
                    let type = reply.headers["content-type"] ?? ""
                    XCTAssertTrue(type == "application/json" || type == "text/event-stream", context)
                } else {
                    refused += 1
                    let error = try XCTUnwrap(try reply.json()["error"] as? [String: Any], context)
                    XCTAssertEqual(Set(error.keys), ["message", "type", "param", "code"], context)
                    XCTAssertFalse((error["message"] as? String ?? "").isEmpty, context)
                }
            }
            let after = try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "still alive"])
            XCTAssertEqual(after.status, 200)
        }
        XCTAssertGreaterThan(refused, 200, "the fuzz should mostly hit refusals")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
    }

    /// The issue's load: 8 concurrent requests with n = 4 all succeed with a non-empty body.
    func testLoad_EightConcurrentRequestsWithNFour_AllSucceed() async throws {
        try await withServer(model: EchoModel(latency: 0.2)) { base, _ in
            try await Self.assertEightConcurrentSucceed(base: base, maxTokens: 40, timeout: 30)
        }
    }

    /// The same load on the real model (small answers, so it stays quick).
    func testLoad_RealModel_EightConcurrentRequestsWithNFour_AllSucceed() async throws {
        let modelURL = ReferenceData.modelsDirectory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
        guard FileManager.default.fileExists(atPath: modelURL.path) else { throw XCTSkip("no model at \(modelURL.path)") }
        let llm = try EmbeddedLLM(modelURL: modelURL)
        try await withServer(model: llm) { base, _ in
            let started = Date()
            try await Self.assertEightConcurrentSucceed(base: base, maxTokens: 8, timeout: 300)
            print(String(format: "8 concurrent n=4 requests on the embedded model: %.1f s", Date().timeIntervalSince(started)))
        }
    }

    private static func assertEightConcurrentSucceed(base: URL, maxTokens: Int, timeout: Double) async throws {
        let url = base.appendingPathComponent("chat/completions")
        let replies = try await withThrowingTaskGroup(of: RawReply.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try await send("POST", url, json: [
                        "messages": [["role": "user", "content": "Name a fruit (\(i))."]], "n": 4, "max_tokens": maxTokens,
                        "temperature": 0.8, "seed": i,
                    ], timeout: timeout)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(replies.count, 8)
        for reply in replies {
            XCTAssertEqual(reply.status, 200, String(decoding: reply.body, as: UTF8.self))
            XCTAssertFalse(reply.body.isEmpty)
            let object = try reply.json()
            assertShape(object, .chatCompletion)
            XCTAssertEqual((object["choices"] as? [Any])?.count, 4)
        }
    }

    /// The embedded model through the server: finish reasons are the API's, `usage` counts its
    /// tokens, and a stream carries exactly the text of the same request answered whole.
    func testRealModel_StreamEqualsWholeAnswer_AndUsageCountsTokens() async throws {
        let modelURL = ReferenceData.modelsDirectory.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
        guard FileManager.default.fileExists(atPath: modelURL.path) else { throw XCTSkip("no model at \(modelURL.path)") }
        let llm = try EmbeddedLLM(modelURL: modelURL)
        try await withServer(model: llm) { base, _ in
            let url = base.appendingPathComponent("chat/completions")
            let request: [String: Any] = [
                "messages": [["role": "user", "content": "Write one short sentence about rain."]], "n": 2,
                "max_tokens": 40, "temperature": 0.7, "seed": 3,
            ]
            let whole = try await send("POST", url, json: request, timeout: 120)
            let object = try whole.json()
            assertShape(object, .chatCompletion)
            let choices = try XCTUnwrap(object["choices"] as? [[String: Any]])
            let texts = choices.map { ($0["message"] as? [String: Any])?["content"] as? String ?? "" }
            let usage = try XCTUnwrap(object["usage"] as? [String: Int])
            let prompt = LLMPrompt.chat([ChatMessage(role: "user", content: "Write one short sentence about rain.")])
            XCTAssertEqual(usage["prompt_tokens"], llm.tokens(of: prompt).count)

            var streamed = request
            streamed["stream"] = true
            let stream = try await send("POST", url, json: streamed, timeout: 120)
            let events = serverSentEvents(String(decoding: stream.body, as: UTF8.self))
            var contents = ["", ""]
            var finishes: [String?] = [nil, nil]
            for event in events.dropLast() {
                let chunk = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
                for choice in chunk["choices"] as? [[String: Any]] ?? [] {
                    let index = try XCTUnwrap(choice["index"] as? Int)
                    contents[index] += (choice["delta"] as? [String: Any])?["content"] as? String ?? ""
                    if let finish = choice["finish_reason"] as? String { finishes[index] = finish }
                }
            }
            XCTAssertEqual(contents, texts)
            XCTAssertEqual(finishes, choices.map { $0["finish_reason"] as? String })
        }
    }
}
