import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import XCTest

/// Request caps and empty inputs: each is a 400 in the OpenAI error shape naming the field and,
/// for a cap, the limit; none reaches the model.
final class ServerLimitsTests: XCTestCase {
    private let limits = ServerLimits(maxN: 4, maxTokens: 100, maxChoiceOptions: 3, maxChoiceOptionBytes: 8,
                                      maxStopStrings: 2, maxStopStringBytes: 5, maxJSONDepth: 8)
    private let hello: [[String: Any]] = [["role": "user", "content": "hello"]]

    func testCaps_Each400NamesTheFieldAndTheLimit() async throws {
        let model = EchoModel()
        try await withServer(model: model, limits: limits) { base, _ in
            let chat = base.appendingPathComponent("chat/completions")
            let cases: [([String: Any], String, String)] = [
                (["messages": hello, "n": 5], "n", "4"),
                (["messages": hello, "max_tokens": 101], "max_tokens", "100"),
                (["messages": hello, "max_completion_tokens": 5000], "max_completion_tokens", "100"),
                (["messages": hello, "guided_choice": ["a", "b", "c", "d"]], "guided_choice", "3"),
                (["messages": hello, "guided_choice": ["a", "ninebytes"]], "guided_choice[1]", "8"),
                (["messages": hello, "stop": ["a", "b", "c"]], "stop", "2"),
                (["messages": hello, "stop": ["a", "toolong"]], "stop[1]", "5"),
            ]
            for (body, field, limit) in cases {
                let reply = try await send("POST", chat, json: body)
                try assertOpenAIError(reply, status: 400, param: field, mentions: [field, "limit of \(limit)"])
            }
            // at the caps the request is served
            let atCaps = try await send("POST", chat, json: [
                "messages": hello, "n": 4, "max_tokens": 100, "stop": ["a", "bcdef"], "guided_choice": ["a", "eightbyt", "c"],
            ])
            XCTAssertEqual(atCaps.status, 200)
        }
        XCTAssertEqual(model.calls.generate, 0)
        XCTAssertEqual(model.calls.choose, 1)
    }

    func testDefaultCaps_RefuseTheIssuesHostileRequests() async throws {
        try await withServer { base, _ in
            let chat = base.appendingPathComponent("chat/completions")
            // 2,000 options held the model for 68 s before the cap
            let options = (0..<2000).map { "option \($0)" }
            let many = try await send("POST", chat, json: ["messages": hello, "guided_choice": options])
            try assertOpenAIError(many, status: 400, param: "guided_choice", mentions: ["2000 options", "limit of 64"])
            let bigN = try await send("POST", chat, json: ["messages": hello, "n": 128])
            try assertOpenAIError(bigN, status: 400, param: "n", mentions: ["limit of 16"])
            let longest = try await send("POST", chat, json: ["messages": hello, "max_tokens": 32_768])
            try assertOpenAIError(longest, status: 400, param: "max_tokens", mentions: ["limit of 4096"])
        }
    }

    func testEmptyInputs_Are400NotServerErrors() async throws {
        let model = EchoModel()
        try await withServer(model: model) { base, _ in
            let chat = base.appendingPathComponent("chat/completions")
            let completions = base.appendingPathComponent("completions")
            try assertOpenAIError(try await send("POST", completions, json: ["prompt": ""]), status: 400, param: "prompt",
                                  mentions: ["empty"])
            try assertOpenAIError(try await send("POST", chat, json: ["messages": [Any]()]), status: 400, param: "messages")
            try assertOpenAIError(try await send("POST", chat, json: ["messages": [["role": "user", "content": ""]]]),
                                  status: 400, param: "messages", mentions: ["empty"])
            try assertOpenAIError(try await send("POST", chat, json: ["messages": hello, "guided_choice": [""]]),
                                  status: 400, param: "guided_choice[0]", mentions: ["empty"])
            try assertOpenAIError(try await send("POST", completions, json: ["prompt": "a", "guided_choice": ["x", ""]]),
                                  status: 400, param: "guided_choice[1]")
            try assertOpenAIError(try await send("POST", completions, rawBody: Data()), status: 400, mentions: ["empty"])
        }
        XCTAssertEqual(model.calls.generate + model.calls.choose, 0)
    }

    func testDeepNesting_IsRefusedBeforeParsing() async throws {
        try await withServer(limits: limits) { base, _ in
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let body = Data(#"{"prompt": "a", "x": \#(deep)}"#.utf8)
            let reply = try await send("POST", base.appendingPathComponent("completions"), rawBody: body)
            try assertOpenAIError(reply, status: 400, mentions: ["nested", "8 levels"])
            // brackets inside strings are text, not nesting
            let quoted = try await send("POST", base.appendingPathComponent("completions"),
                                        json: ["prompt": String(repeating: "[{", count: 50)])
            XCTAssertEqual(quoted.status, 200)
        }
    }

    func testBodyCap_Is413NamingTheLimit() async throws {
        try await withServer(limits: ServerLimits(maxRequestBytes: 512)) { base, _ in
            let reply = try await send("POST", base.appendingPathComponent("completions"),
                                       json: ["prompt": String(repeating: "x", count: 600)])
            try assertOpenAIError(reply, status: 413, mentions: ["limit of 512 bytes"])
        }
    }

    func testEveryErrorRoute_HasTheErrorShape() async throws {
        try await withServer(model: EchoModel(failure: "weights missing")) { base, _ in
            try assertOpenAIError(try await send("GET", base.appendingPathComponent("nope")), status: 404)
            try assertOpenAIError(try await send("GET", base.appendingPathComponent("completions")), status: 405)
            try assertOpenAIError(try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": "a"]),
                                  status: 500, mentions: ["weights missing"])
            try assertOpenAIError(try await send("POST", base.appendingPathComponent("completions"), json: ["prompt": 3]),
                                  status: 400, param: "prompt")
        }
    }
}
