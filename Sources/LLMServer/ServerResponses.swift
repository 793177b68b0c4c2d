import Foundation
import LLMInterface

/// Tokens one request used, as `usage` reports them.
struct TokenUsage: Sendable, Equatable {
    var promptTokens: Int
    var completionTokens: Int
}

/// OpenAI-shaped JSON bodies the server sends.
enum ServerJSON {
    /// Serialises a JSON object (keys sorted, so bodies are reproducible).
    static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"error":{"message":"could not encode response","type":"server_error"}}"#.utf8)
    }

    /// `{"error": {"message", "type", "param", "code"}}` with the HTTP status as the code.
    static func error(message: String, type: String, param: String? = nil, code: Int) -> Data {
        data(["error": ["message": message, "type": type, "param": param as Any? ?? NSNull(), "code": code]])
    }

    /// The same with OpenAI's named code, e.g. `context_length_exceeded`.
    static func error(message: String, type: String, param: String? = nil, code: String) -> Data {
        data(["error": ["message": message, "type": type, "param": param as Any? ?? NSNull(), "code": code]])
    }

    /// OpenAI's 400 for a request that does not fit the context, naming both token counts and the limit.
    static func contextLengthExceeded(_ tooLong: ContextLengthExceeded, chat: Bool) -> Data {
        let field = chat ? "messages" : "prompt"
        let total = tooLong.promptTokens + tooLong.followingTokens
        let message = "This model's maximum context length is \(tooLong.contextLength) tokens. However, you requested "
            + "\(total) tokens (\(tooLong.promptTokens) in the \(field), \(tooLong.followingTokens) in the completion). "
            + "Please reduce the length of the \(field) or completion."
        return error(message: message, type: "invalid_request_error", param: field, code: "context_length_exceeded")
    }

    static func models(_ modelID: String) -> Data {
        data(["object": "list",
              "data": [["id": modelID, "object": "model", "created": 0, "owned_by": "hydra"]]])
    }

    /// A finite stand-in for `-inf` log-probabilities, which JSON cannot carry.
    static func finite(_ value: Double) -> Double {
        value.isFinite ? value : (value > 0 ? 1e300 : -1e300)
    }

    /// One returned choice: its text, finish reason and, for guided choice with logprobs, the
    /// chosen option's log-prob and every option's as alternatives.
    struct Choice: @unchecked Sendable {
        var text: String
        var finishReason: String
        var optionLogprobs: (chosen: Double, all: [(String, Double)])?
    }

    /// The API's `finish_reason` for a backend's: `length` stays, and everything else that ends a
    /// sample (an end-of-generation token, a stop string, a backend's own name) is `stop`; the
    /// API's other values pass through.
    static func apiFinishReason(_ reason: String) -> String {
        switch reason {
        case "length", "stop", "content_filter", "tool_calls", "function_call": return reason
        default: return "stop"
        }
    }

    /// `{"prompt_tokens", "completion_tokens", "total_tokens"}`.
    static func usage(_ usage: TokenUsage) -> [String: Any] {
        ["prompt_tokens": usage.promptTokens, "completion_tokens": usage.completionTokens,
         "total_tokens": usage.promptTokens + usage.completionTokens]
    }

    static func completion(id: String, model: String, chat: Bool, choices: [Choice], usage: TokenUsage,
                           created: Int) -> Data {
        let items: [[String: Any]] = choices.enumerated().map { index, choice in
            var item: [String: Any] = ["index": index, "finish_reason": apiFinishReason(choice.finishReason),
                                       "logprobs": logprobs(choice, chat: chat)]
            if chat {
                item["message"] = ["role": "assistant", "content": choice.text]
            } else {
                item["text"] = choice.text
            }
            return item
        }
        return data(["id": id, "object": chat ? "chat.completion" : "text_completion", "created": created,
                     "model": model, "choices": items, "usage": Self.usage(usage)])
    }

    private static func logprobs(_ choice: Choice, chat: Bool) -> Any {
        guard let lp = choice.optionLogprobs else { return NSNull() }
        if chat {
            let top = lp.all.map { ["token": $0.0, "logprob": finite($0.1), "bytes": NSNull()] as [String: Any] }
            return ["content": [["token": choice.text, "logprob": finite(lp.chosen), "bytes": NSNull(),
                                 "top_logprobs": top] as [String: Any]]]
        }
        var top: [String: Double] = [:]
        for (option, value) in lp.all { top[option] = finite(value) }
        return ["tokens": [choice.text], "token_logprobs": [finite(lp.chosen)], "top_logprobs": [top],
                "text_offset": [0]] as [String: Any]
    }

    static func embeddings(_ vectors: [[Float]], model: String) -> Data {
        let items: [[String: Any]] = vectors.enumerated().map { index, vector in
            ["object": "embedding", "index": index, "embedding": vector.map { Double($0) }]
        }
        return data(["object": "list", "data": items, "model": model])
    }
}
