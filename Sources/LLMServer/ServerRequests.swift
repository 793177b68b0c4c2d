import Foundation
import LLMInterface

/// A request the server refuses with 400; `field` names the offending JSON field.
struct BadRequest: Error {
    var field: String?
    var message: String
}

/// Typed access to a request's JSON object; every getter names the field in its error.
struct JSONFields {
    let object: [String: Any]

    init(body: Data) throws {
        guard !body.isEmpty else { throw BadRequest(field: nil, message: "request body is empty; expected a JSON object") }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw BadRequest(field: nil, message: "request body is not valid JSON")
        }
        guard let object = value as? [String: Any] else {
            throw BadRequest(field: nil, message: "request body must be a JSON object")
        }
        self.object = object
    }

    func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard has(key) else { return fallback }
        guard let number = object[key] as? NSNumber, !isBool(number), let value = object[key] as? Int else {
            throw BadRequest(field: key, message: "'\(key)' must be an integer")
        }
        guard range.contains(value) else {
            throw BadRequest(field: key, message: "'\(key)' must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
        return value
    }

    func double(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard has(key) else { return fallback }
        guard let number = object[key] as? NSNumber, !isBool(number) else {
            throw BadRequest(field: key, message: "'\(key)' must be a number")
        }
        let value = number.doubleValue
        guard range.contains(value) else {
            throw BadRequest(field: key, message: "'\(key)' must be in \(range.lowerBound)...\(range.upperBound) (got \(value))")
        }
        return value
    }

    func bool(_ key: String) throws -> Bool {
        guard has(key) else { return false }
        guard let number = object[key] as? NSNumber, isBool(number) else { throw BadRequest(field: key, message: "'\(key)' must be true or false") }
        return number.boolValue
    }

    /// A string or an array of strings.
    func strings(_ key: String) throws -> [String]? {
        guard has(key) else { return nil }
        if let single = object[key] as? String { return [single] }
        guard let list = object[key] as? [Any] else {
            throw BadRequest(field: key, message: "'\(key)' must be a string or an array of strings")
        }
        return try list.enumerated().map { index, element in
            guard let text = element as? String else {
                throw BadRequest(field: "\(key)[\(index)]", message: "'\(key)[\(index)]' must be a string")
            }
            return text
        }
    }

    /// JSON `true`/`false` also arrive as `NSNumber`; Foundation marks them with type code `c`.
    private func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}

/// A parsed `/v1/chat/completions` or `/v1/completions` request.
struct CompletionRequest {
    var prompt: LLMPrompt
    var parameters: SamplingParameters
    var n: Int
    /// vLLM's `guided_choice`: answer with one of these.
    var guidedChoice: [String]?
    var wantsLogprobs: Bool

    /// - Parameter chat: `true` for `/v1/chat/completions` (needs `messages`), `false` for
    ///   `/v1/completions` (needs `prompt`).
    init(fields: JSONFields, chat: Bool) throws {
        if try fields.bool("stream") {
            throw BadRequest(field: "stream", message: "'stream' is not supported by this server")
        }
        if chat {
            guard let list = fields.object["messages"] as? [Any], !list.isEmpty else {
                throw BadRequest(field: "messages", message: "'messages' must be a non-empty array of {role, content}")
            }
            prompt = .chat(try list.enumerated().map { index, element in
                guard let message = element as? [String: Any], let role = message["role"] as? String else {
                    throw BadRequest(field: "messages[\(index)].role", message: "'messages[\(index)].role' must be a string")
                }
                return ChatMessage(role: role, content: try Self.content(message["content"], index: index))
            })
        } else {
            guard let texts = try fields.strings("prompt"), texts.count == 1 else {
                throw BadRequest(field: "prompt", message: "'prompt' must be one string (batches are not supported)")
            }
            prompt = .raw(texts[0])
        }
        n = try fields.int("n", default: 1, in: 1...128)
        let maxTokensKey = fields.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"
        let seed = try fields.int("seed", default: 0, in: Int.min...Int.max)
        parameters = SamplingParameters(
            temperature: try fields.double("temperature", default: 1, in: 0...2),
            topP: try fields.double("top_p", default: 1, in: 0...1),
            topK: max(0, try fields.int("top_k", default: 0, in: -1...1_000_000)),
            maxTokens: try fields.int(maxTokensKey, default: chat ? 256 : 16, in: 0...32_768),
            stop: try fields.strings("stop") ?? [],
            seed: UInt64(bitPattern: Int64(seed)))
        guidedChoice = try fields.strings("guided_choice")
        if let choices = guidedChoice, choices.isEmpty {
            throw BadRequest(field: "guided_choice", message: "'guided_choice' must list at least one option")
        }
        if chat {
            wantsLogprobs = try fields.bool("logprobs")
        } else {
            wantsLogprobs = try fields.int("logprobs", default: 0, in: 0...100) > 0
        }
    }

    /// Message content: a string, or an array of `{type: "text", text}` parts joined together.
    private static func content(_ value: Any?, index: Int) throws -> String {
        if let text = value as? String { return text }
        if let parts = value as? [[String: Any]] {
            return try parts.enumerated().map { part, element in
                guard let text = element["text"] as? String else {
                    throw BadRequest(field: "messages[\(index)].content[\(part)].text", message: "only text content parts are supported")
                }
                return text
            }.joined()
        }
        throw BadRequest(field: "messages[\(index)].content", message: "'messages[\(index)].content' must be a string")
    }
}
