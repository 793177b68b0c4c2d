import Foundation
import LLMInterface

/// A required field was absent or had the wrong type in a server's JSON; the path names it.
struct MissingField: Error {
    var path: String
}

/// Building request bodies and reading responses of the OpenAI wire format.
enum OpenAIWire {
    /// The endpoint path (relative to the base URL) for a prompt kind.
    static func endpoint(for prompt: LLMPrompt) -> String {
        switch prompt {
        case .chat: return "chat/completions"
        case .raw: return "completions"
        }
    }

    /// The body of a completion request; `extra` fields are merged in last.
    static func body(model: String, prompt: LLMPrompt, parameters: SamplingParameters, n: Int,
                     extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "model": model,
            "n": n,
            "temperature": parameters.temperature,
            "top_p": parameters.topP,
            "max_tokens": parameters.maxTokens,
            // OpenAI's seed is a signed 64-bit integer: keep the low 63 bits.
            "seed": Int64(bitPattern: parameters.seed & UInt64(Int64.max)),
        ]
        switch prompt {
        case .chat(let messages):
            body["messages"] = messages.map { ["role": $0.role, "content": $0.content] }
        case .raw(let text):
            body["prompt"] = text
        }
        if !parameters.stop.isEmpty { body["stop"] = parameters.stop }
        // top_k is a vLLM extension; only sent when asked for, so plain OpenAI servers never see it.
        if parameters.topK > 0 { body["top_k"] = parameters.topK }
        for (key, value) in extra { body[key] = value }
        return body
    }

    /// Parses a JSON object out of a response body.
    static func object(from data: Data) throws -> [String: Any] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw MissingField(path: "valid JSON body (\(data.count) bytes received)")
        }
        guard let object = value as? [String: Any] else { throw MissingField(path: "JSON object at top level") }
        return object
    }

    /// The `choices` array, ordered by each choice's `index` when present.
    static func choices(in object: [String: Any]) throws -> [[String: Any]] {
        guard let choices = object["choices"] as? [[String: Any]] else { throw MissingField(path: "choices") }
        return choices.enumerated()
            .sorted { ($0.element["index"] as? Int ?? $0.offset) < ($1.element["index"] as? Int ?? $1.offset) }
            .map(\.element)
    }

    /// The completions of a chat or text completion response: between 1 and `n` of them (servers
    /// such as llama.cpp's ignore `n` and answer one; the caller asks again for the rest).
    static func completions(in object: [String: Any], chat: Bool, atMost n: Int) throws -> [Completion] {
        let choices = try choices(in: object)
        guard (1...max(1, n)).contains(choices.count) else {
            throw MissingField(path: "choices (expected \(n), got \(choices.count))")
        }
        return try choices.enumerated().map { index, choice in
            let text: String
            if chat {
                guard let message = choice["message"] as? [String: Any] else {
                    throw MissingField(path: "choices[\(index)].message")
                }
                // A null content is a legal empty answer (e.g. max_tokens 0).
                if message["content"] is NSNull { text = "" } else {
                    guard let content = message["content"] as? String else {
                        throw MissingField(path: "choices[\(index)].message.content")
                    }
                    text = content
                }
            } else {
                guard let value = choice["text"] as? String else { throw MissingField(path: "choices[\(index)].text") }
                text = value
            }
            let finish = choice["finish_reason"] as? String ?? "stop"
            return Completion(text: text, tokenIDs: nil, finishReason: finish)
        }
    }

    /// The first token's alternatives as `token -> logprob`, from either the chat shape
    /// (`logprobs.content[0].top_logprobs[]`) or the legacy completions shape
    /// (`logprobs.top_logprobs[0]`). Empty when the server sent none.
    static func firstTokenAlternatives(in choice: [String: Any]) -> [String: Double] {
        guard let logprobs = choice["logprobs"] as? [String: Any] else { return [:] }
        var result: [String: Double] = [:]
        if let content = logprobs["content"] as? [[String: Any]], let first = content.first,
           let top = first["top_logprobs"] as? [[String: Any]] {
            for entry in top {
                if let token = entry["token"] as? String, let value = (entry["logprob"] as? NSNumber)?.doubleValue {
                    result[token] = value
                }
            }
        } else if let top = logprobs["top_logprobs"] as? [[String: Any]], let first = top.first {
            for (token, value) in first {
                if let number = (value as? NSNumber)?.doubleValue { result[token] = number }
            }
        }
        return result
    }

    /// The server's error message from an error body: `error.message`, `message`, `detail`, or the
    /// text itself (shortened).
    static func errorMessage(from data: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String { return message }
            if let message = object["message"] as? String { return message }
            if let detail = object["detail"] { return String(describing: detail) }
        }
        let text = String(decoding: data.prefix(500), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text
    }
}
