import FlyingFox
import Foundation

/// A loopback stand-in for llama.cpp's server (and Ollama's OpenAI API) as far as a client can
/// tell: `/v1/chat/completions` and `/v1/completions` answer ONE choice whatever `n` asks, ignore
/// `guided_choice` (the answer is free text), and honour `seed`. The answer is
/// `"seed S: "` followed by the prompt's text (chat contents joined by a space), cut to
/// `max_tokens` words. Every request body is recorded; paths other than those two get 404.
public actor LlamaCppLikeServer {
    /// What one request asked for.
    public struct Request: Sendable, Equatable {
        public var path: String
        public var n: Int?
        public var seed: Int?
        public var sentGuidedChoice: Bool
    }

    private let recorder = Recorder()
    private var server: HTTPServer?
    private var task: Task<Void, any Error>?

    public init() {}

    /// The requests answered so far, in arrival order.
    public var requests: [Request] {
        get async { await recorder.requests }
    }

    /// Starts listening on a free loopback port.
    /// - Returns: the base URL, `http://127.0.0.1:PORT/v1`.
    public func start() async throws -> URL {
        let http = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 30, logger: .disabled,
                              handler: Handler(recorder: recorder))
        task = Task { try await http.run() }
        try await http.waitUntilListening(timeout: 5)
        server = http
        guard case .ip4(_, let port)? = await http.listeningAddress else {
            throw URLError(.cannotConnectToHost)
        }
        return URL(string: "http://127.0.0.1:\(port)/v1")!
    }

    public func stop() async {
        await server?.stop(timeout: 0.05)
        task?.cancel()
        _ = await task?.result
        server = nil
        task = nil
    }

    /// The answer text for a prompt, seed and token budget (what the fake sends back).
    public static func answer(prompt: String, seed: Int, maxTokens: Int) -> String {
        "seed \(seed): \(prompt)".split(separator: " ").prefix(maxTokens).joined(separator: " ")
    }

    private actor Recorder {
        var requests: [Request] = []
        func record(_ request: Request) { requests.append(request) }
    }

    private struct Handler: HTTPHandler {
        let recorder: Recorder

        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            let chat = request.path == "/v1/chat/completions"
            guard chat || request.path == "/v1/completions" else {
                return HTTPResponse(statusCode: .notFound, headers: [.contentType: "application/json"],
                                    body: Data(#"{"error":{"code":404,"message":"File Not Found","type":"not_found_error"}}"#.utf8))
            }
            let body = try await request.bodyData
            let object = (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
            let seed = object["seed"] as? Int ?? 0
            await recorder.record(Request(path: request.path, n: object["n"] as? Int, seed: object["seed"] as? Int,
                                          sentGuidedChoice: object["guided_choice"] != nil))
            let prompt: String
            if chat {
                let messages = object["messages"] as? [[String: Any]] ?? []
                prompt = messages.compactMap { $0["content"] as? String }.joined(separator: " ")
            } else {
                prompt = object["prompt"] as? String ?? ""
            }
            let text = LlamaCppLikeServer.answer(prompt: prompt, seed: seed, maxTokens: object["max_tokens"] as? Int ?? 16)
            var choice: [String: Any] = ["index": 0, "finish_reason": "stop", "logprobs": NSNull()]
            if chat { choice["message"] = ["role": "assistant", "content": text] } else { choice["text"] = text }
            let reply: [String: Any] = [
                "id": "chatcmpl-fake", "object": chat ? "chat.completion" : "text_completion", "created": 0,
                "model": object["model"] as? String ?? "llama", "choices": [choice],
                "usage": ["prompt_tokens": prompt.count, "completion_tokens": text.count, "total_tokens": prompt.count + text.count],
            ]
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: try JSONSerialization.data(withJSONObject: reply))
        }
    }
}
