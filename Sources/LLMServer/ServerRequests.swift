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

    /// - Parameter maxDepth: arrays and objects nested deeper are refused before parsing, with a
    ///   message naming the limit (Foundation's parser gives up only at 512 levels, saying just
    ///   "not in the correct format"; no request field nests more than 3 deep).
    init(body: Data, maxDepth: Int = ServerLimits().maxJSONDepth) throws {
        guard !body.isEmpty else { throw BadRequest(field: nil, message: "request body is empty; expected a JSON object") }
        let depth = Self.nestingDepth(body, limit: maxDepth)
        guard depth <= maxDepth else {
            throw BadRequest(field: nil, message: "request JSON is nested more than \(maxDepth) levels deep (the server's limit)")
        }
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

    /// Fields of an object nested in the request.
    init(object: [String: Any]) {
        self.object = object
    }

    /// The deepest nesting of `[` / `{` outside strings, counting up to `limit + 1` at most.
    static func nestingDepth(_ body: Data, limit: Int) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > limit { return deepest }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
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

    /// An integer of at least `minimum` and at most the server's `limit`, whose message names the limit.
    func int(_ key: String, default fallback: Int, atLeast minimum: Int, limit: Int) throws -> Int {
        let value = try int(key, default: fallback, in: Int.min...Int.max)
        guard value >= minimum else { throw BadRequest(field: key, message: "'\(key)' must be at least \(minimum) (got \(value))") }
        guard value <= limit else {
            throw BadRequest(field: key, message: "'\(key)' is \(value), more than this server's limit of \(limit)")
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

    /// - Parameter field: the name used in errors (defaults to `key`), e.g. for nested objects.
    func bool(_ key: String, field: String? = nil) throws -> Bool {
        guard has(key) else { return false }
        let name = field ?? key
        guard let number = object[key] as? NSNumber, isBool(number) else { throw BadRequest(field: name, message: "'\(name)' must be true or false") }
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
struct CompletionRequest: Sendable {
    var prompt: LLMPrompt
    var parameters: SamplingParameters
    var n: Int
    /// vLLM's `guided_choice`: answer with one of these.
    var guidedChoice: [String]?
    var wantsLogprobs: Bool
    /// `"stream": true`: answer with server-sent events.
    var stream: Bool
    /// `stream_options.include_usage`: end the stream with a usage chunk.
    var includeUsage: Bool

    /// - Parameters:
    ///   - chat: `true` for `/v1/chat/completions` (needs `messages`), `false` for
    ///     `/v1/completions` (needs `prompt`).
    ///   - limits: the caps on `n`, `max_tokens`, `guided_choice` and `stop`.
    init(fields: JSONFields, chat: Bool, limits: ServerLimits = ServerLimits()) throws {
        stream = try fields.bool("stream")
        includeUsage = false
        if fields.has("stream_options") {
            guard let options = fields.object["stream_options"] as? [String: Any] else {
                throw BadRequest(field: "stream_options", message: "'stream_options' must be an object")
            }
            includeUsage = try JSONFields(object: options).bool("include_usage", field: "stream_options.include_usage")
        }
        if chat {
            guard let list = fields.object["messages"] as? [Any], !list.isEmpty else {
                throw BadRequest(field: "messages", message: "'messages' must be a non-empty array of {role, content}")
            }
            let messages = try list.enumerated().map { index, element in
                guard let message = element as? [String: Any], let role = message["role"] as? String else {
                    throw BadRequest(field: "messages[\(index)].role", message: "'messages[\(index)].role' must be a string")
                }
                return ChatMessage(role: role, content: try Self.content(message["content"], index: index))
            }
            guard messages.contains(where: { !$0.content.isEmpty }) else {
                throw BadRequest(field: "messages", message: "'messages' has no text: every message's content is empty")
            }
            prompt = .chat(messages)
        } else {
            guard let texts = try fields.strings("prompt"), texts.count == 1 else {
                throw BadRequest(field: "prompt", message: "'prompt' must be one string (batches are not supported)")
            }
            guard !texts[0].isEmpty else { throw BadRequest(field: "prompt", message: "'prompt' must not be empty") }
            prompt = .raw(texts[0])
        }
        n = try fields.int("n", default: 1, atLeast: 1, limit: limits.maxN)
        let maxTokensKey = fields.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"
        let seed = try fields.int("seed", default: 0, in: Int.min...Int.max)
        let stop = try fields.strings("stop") ?? []
        guard stop.count <= limits.maxStopStrings else {
            throw BadRequest(field: "stop", message: "'stop' has \(stop.count) strings, more than this server's limit of \(limits.maxStopStrings)")
        }
        if let long = stop.firstIndex(where: { $0.utf8.count > limits.maxStopStringBytes }) {
            throw BadRequest(field: "stop[\(long)]", message: "'stop[\(long)]' is \(stop[long].utf8.count) bytes long, more than this server's limit of \(limits.maxStopStringBytes)")
        }
        parameters = SamplingParameters(
            temperature: try fields.double("temperature", default: 1, in: 0...2),
            topP: try fields.double("top_p", default: 1, in: 0...1),
            topK: max(0, try fields.int("top_k", default: 0, in: -1...1_000_000)),
            maxTokens: try fields.int(maxTokensKey, default: min(chat ? 256 : 16, limits.maxTokens), atLeast: 0,
                                      limit: limits.maxTokens),
            stop: stop,
            seed: UInt64(bitPattern: Int64(seed)))
        guidedChoice = try fields.strings("guided_choice")
        if let options = guidedChoice {
            guard !options.isEmpty else {
                throw BadRequest(field: "guided_choice", message: "'guided_choice' must list at least one option")
            }
            guard options.count <= limits.maxChoiceOptions else {
                throw BadRequest(field: "guided_choice", message: "'guided_choice' has \(options.count) options, more than this server's limit of \(limits.maxChoiceOptions)")
            }
            if let empty = options.firstIndex(of: "") {
                throw BadRequest(field: "guided_choice[\(empty)]", message: "'guided_choice[\(empty)]' is empty; every option needs some text")
            }
            if let long = options.firstIndex(where: { $0.utf8.count > limits.maxChoiceOptionBytes }) {
                throw BadRequest(field: "guided_choice[\(long)]", message: "'guided_choice[\(long)]' is \(options[long].utf8.count) bytes long, more than this server's limit of \(limits.maxChoiceOptionBytes)")
            }
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
