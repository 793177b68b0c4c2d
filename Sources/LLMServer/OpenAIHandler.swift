import Basics
import FlyingFox
import Foundation
import LLMInterface

/// One request as the server saw it (kept only when the server records requests, for tests).
public struct RecordedRequest: Sendable, Equatable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The request path, e.g. `/v1/completions`.
    public var path: String
    /// Header names lowercased.
    public var headers: [String: String]
}

/// Keeps the requests a test server has seen.
actor RequestRecorder {
    private(set) var requests: [RecordedRequest] = []

    func record(_ request: RecordedRequest) { requests.append(request) }
}

/// Serves the OpenAI routes over one `LLMClient`, injecting the planned faults.
///
/// Every answer has an OpenAI error body or a result: the handler never throws (FlyingFox would
/// answer a thrown error with an empty 500). Completion requests wait their turn in `queue`.
struct OpenAIHandler: HTTPHandler {
    let model: any LLMClient
    let embed: (@Sendable ([String]) async throws -> [[Float]])?
    let plan: FaultPlan
    let injector: FaultInjector
    let recorder: RequestRecorder?
    /// When `false`, `guided_choice` is refused with 400, as plain OpenAI servers do.
    let acceptsGuidedChoice: Bool
    let limits: ServerLimits
    let queue: ModelQueue

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let recorder {
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
            await recorder.record(RecordedRequest(method: request.method.rawValue, path: request.path, headers: headers))
        }
        let fault = await injector.next()
        do {
            if plan.delay > 0 { try await Task.sleep(nanoseconds: UInt64(plan.delay * 1e9)) }
            if case .delay(let seconds) = fault { try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9)) }
        } catch {
            return response(Self.errorReply(for: error, chat: false))
        }
        switch fault {
        case .tooManyRequests(let retryAfter):
            return response(Reply(statusCode: .tooManyRequests, bodyBytes: ServerJSON.error(
                message: "injected fault: rate limited", type: "rate_limit_error", code: 429), retryAfter: retryAfter))
        case .serverError:
            return response(Reply(statusCode: .internalServerError, bodyBytes: ServerJSON.error(
                message: "injected fault: server error", type: "server_error", code: 500)))
        case .none, .delay, .truncatedJSON, .invalidJSON:
            break
        }
        var reply = await route(request)
        // a stream's body is produced later; only whole bodies are corrupted
        if reply.stream == nil {
            if case .truncatedJSON = fault { reply.bodyBytes = reply.bodyBytes.prefix(reply.bodyBytes.count / 2) }
            if case .invalidJSON = fault { reply.bodyBytes = Data("<html>injected fault: not JSON</html>".utf8) }
        }
        return response(reply)
    }

    /// A response before faults corrupt it: a JSON body, or an event stream.
    struct Reply {
        var statusCode: HTTPStatusCode
        var bodyBytes: Data
        /// Seconds, sent as `Retry-After`.
        var retryAfter: String?
        /// The body of a `text/event-stream` answer (then `bodyBytes` is unused).
        var stream: HTTPBodySequence?

        init(statusCode: HTTPStatusCode, bodyBytes: Data, retryAfter: String? = nil) {
            self.statusCode = statusCode
            self.bodyBytes = bodyBytes
            self.retryAfter = retryAfter
        }
    }

    private func route(_ request: HTTPRequest) async -> Reply {
        let path = request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        let method = request.method.rawValue
        let known = ["/v1/models": "GET", "/v1/chat/completions": "POST", "/v1/completions": "POST",
                     "/v1/embeddings": "POST"]
        guard let expected = known[path], path != "/v1/embeddings" || embed != nil else {
            return Reply(statusCode: .notFound, bodyBytes: ServerJSON.error(
                message: "no route \(method) \(request.path)", type: "invalid_request_error", code: 404))
        }
        guard method == expected else {
            return Reply(statusCode: .methodNotAllowed, bodyBytes: ServerJSON.error(
                message: "\(path) takes \(expected), not \(method)", type: "invalid_request_error", code: 405))
        }
        let chat = path == "/v1/chat/completions"
        do {
            switch path {
            case "/v1/models":
                return Reply(statusCode: .ok, bodyBytes: ServerJSON.models(model.modelID))
            case "/v1/embeddings":
                return try await embeddings(JSONFields(body: try await body(of: request), maxDepth: limits.maxJSONDepth))
            default:
                let fields = try JSONFields(body: try await body(of: request), maxDepth: limits.maxJSONDepth)
                let parsed = try CompletionRequest(fields: fields, chat: chat, limits: limits)
                if parsed.guidedChoice != nil, !acceptsGuidedChoice {
                    throw BadRequest(field: "guided_choice", message: "unrecognized request argument: guided_choice")
                }
                return parsed.stream ? try await streamedCompletion(parsed, chat: chat)
                    : try await completion(parsed, chat: chat)
            }
        } catch {
            return Self.errorReply(for: error, chat: chat)
        }
    }

    /// The OpenAI error answer for anything a request can fail with.
    static func errorReply(for error: any Error, chat: Bool) -> Reply {
        switch error {
        case let bad as BadRequest:
            return Reply(statusCode: .badRequest, bodyBytes: ServerJSON.error(
                message: bad.message, type: "invalid_request_error", param: bad.field, code: 400))
        case let tooLarge as PayloadTooLarge:
            return Reply(statusCode: .payloadTooLarge, bodyBytes: ServerJSON.error(
                message: "request body is larger than this server's limit of \(tooLarge.limit) bytes",
                type: "invalid_request_error", code: 413))
        case let tooLong as ContextLengthExceeded:
            return Reply(statusCode: .badRequest, bodyBytes: ServerJSON.contextLengthExceeded(tooLong, chat: chat))
        case let full as ModelQueue.Full:
            return Reply(statusCode: .tooManyRequests, bodyBytes: ServerJSON.error(
                message: "the server is busy: \(full.waiting) requests are already waiting for the model; retry after \(full.retryAfter) s",
                type: "rate_limit_error", code: 429), retryAfter: String(full.retryAfter))
        case let slow as ModelCallTimedOut:
            return Reply(statusCode: .serviceUnavailable, bodyBytes: ServerJSON.error(
                message: "the model worked on this request for more than \(slow.seconds) s (the server's limit) and was stopped",
                type: "server_error", code: 503))
        case is CancellationError:
            return Reply(statusCode: .serviceUnavailable, bodyBytes: ServerJSON.error(
                message: "the server is stopping", type: "server_error", code: 503), retryAfter: "1")
        default:
            return Reply(statusCode: .internalServerError, bodyBytes: ServerJSON.error(
                message: "model error: \(error)", type: "server_error", code: 500))
        }
    }

    /// A body over `maxRequestBytes`, refused before it is all read.
    struct PayloadTooLarge: Error {
        var limit: Int
    }

    /// The request body, refused once it grows past `maxRequestBytes` (from `Content-Length` when
    /// given, else while the chunks arrive), so no request can make the server hold more.
    private func body(of request: HTTPRequest) async throws -> Data {
        let limit = limits.maxRequestBytes
        if let declared = request.bodySequence.count, declared > limit {
            throw PayloadTooLarge(limit: limit)
        }
        var body = Data()
        for try await chunk in request.bodySequence {
            body.append(chunk)
            guard body.count <= limit else { throw PayloadTooLarge(limit: limit) }
        }
        return body
    }

    /// What the model answered: the choices and the tokens used.
    private struct Answer: Sendable {
        var choices: [ServerJSON.Choice]
        var usage: TokenUsage
    }

    private func completion(_ request: CompletionRequest, chat: Bool) async throws -> Reply {
        let id = (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.lowercased()
        let created = Int(Date().timeIntervalSince1970)
        let timeout = limits.modelCallTimeout
        let answer = try await queue.run {
            try await withModelCallTimeout(timeout) { try await self.answer(request, onText: nil) }
        }
        return Reply(statusCode: .ok, bodyBytes: ServerJSON.completion(
            id: id, model: model.modelID, chat: chat, choices: answer.choices, usage: answer.usage, created: created))
    }

    /// `"stream": true`: waits for a model slot (a full queue is still a plain 429), then answers
    /// `text/event-stream` as soon as the model produced its first text. Errors before that (a
    /// prompt that does not fit, a model error) are plain HTTP errors; later ones end the stream
    /// with an error event. The slot is held until the stream ends, and a client that goes away
    /// cancels the generation.
    private func streamedCompletion(_ request: CompletionRequest, chat: Bool) async throws -> Reply {
        let chunks = CompletionChunks(
            id: (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.lowercased(), model: model.modelID,
            created: Int(Date().timeIntervalSince1970), chat: chat, includeUsage: request.includeUsage)
        let (events, sink) = AsyncStream.makeStream(of: Data.self)
        let writer = CompletionEventWriter(chunks: chunks, n: request.n, stops: request.parameters.stop, sink: sink)
        try await queue.enter()
        let queue = self.queue
        let timeout = limits.modelCallTimeout
        let producer = Task {
            let start = Date()
            do {
                let answer = try await withModelCallTimeout(timeout) {
                    try await self.answer(request, onText: { writer.text($0, $1) })
                }
                writer.finish(answer.choices, usage: answer.usage)
            } catch {
                writer.fail(error, errorBody: Self.errorReply(for: error, chat: chat).bodyBytes)
            }
            await queue.leave(heldFor: Date().timeIntervalSince(start))
        }
        try await writer.waitUntilStarted()
        var reply = Reply(statusCode: .ok, bodyBytes: Data())
        reply.stream = HTTPBodySequence(from: EventStreamBody(events: events, onDrop: { producer.cancel() }))
        return reply
    }

    /// Asks the model: constrained choice for `guided_choice`, else sampling (streaming its text
    /// through `onText` when both the caller and the model can).
    private func answer(_ request: CompletionRequest, onText: (@Sendable (Int, String) -> Void)?) async throws -> Answer {
        let counter = model as? TokenCountingLLMClient
        if let options = request.guidedChoice {
            let logprobs = try await model.choose(request.prompt, options: options)
            guard logprobs.count == options.count else {
                throw ModelMisbehaved(message: "model returned \(logprobs.count) scores for \(options.count) options")
            }
            let picks = Self.pick(logprobs: logprobs, temperature: request.parameters.temperature,
                                  seed: request.parameters.seed, n: request.n)
            let all = Array(zip(options, logprobs))
            let choices = picks.map { index in
                ServerJSON.Choice(text: options[index], finishReason: "stop",
                                  optionLogprobs: request.wantsLogprobs ? (logprobs[index], all) : nil)
            }
            let completionTokens = picks.map { Self.tokens(of: options[$0], counter: counter) }.reduce(0, +)
            return Answer(choices: choices, usage: TokenUsage(
                promptTokens: Self.promptTokens(request.prompt, counter: counter), completionTokens: completionTokens))
        }
        let completions: [Completion]
        if let onText, let streaming = model as? StreamingLLMClient {
            completions = try await streaming.generate(request.prompt, parameters: request.parameters, n: request.n,
                                                       onText: onText)
        } else {
            completions = try await model.generate(request.prompt, parameters: request.parameters, n: request.n)
        }
        let completionTokens = completions.map { $0.tokenIDs?.count ?? Self.tokens(of: $0.text, counter: counter) }
        return Answer(
            choices: completions.map { ServerJSON.Choice(text: $0.text, finishReason: $0.finishReason, optionLogprobs: nil) },
            usage: TokenUsage(promptTokens: Self.promptTokens(request.prompt, counter: counter),
                              completionTokens: completionTokens.reduce(0, +)))
    }

    /// A backend broke its contract (e.g. the wrong number of scores); answered 500.
    private struct ModelMisbehaved: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The model's own count when it has one, else about four bytes per token (OpenAI's rule of
    /// thumb), so `usage` is always present.
    private static func promptTokens(_ prompt: LLMPrompt, counter: (any TokenCountingLLMClient)?) -> Int {
        if let counter { return counter.promptTokenCount(prompt) }
        switch prompt {
        case .raw(let text): return estimatedTokens(text)
        case .chat(let messages): return messages.map { estimatedTokens($0.role) + estimatedTokens($0.content) }.reduce(0, +)
        }
    }

    private static func tokens(of text: String, counter: (any TokenCountingLLMClient)?) -> Int {
        counter?.tokenCount(of: text) ?? estimatedTokens(text)
    }

    private static func estimatedTokens(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    private func embeddings(_ fields: JSONFields) async throws -> Reply {
        guard let embed else { throw BadRequest(field: nil, message: "this server has no embedding model") }
        guard let inputs = try fields.strings("input"), !inputs.isEmpty else {
            throw BadRequest(field: "input", message: "'input' must be a string or a non-empty array of strings")
        }
        let vectors = try await embed(inputs)
        return Reply(statusCode: .ok, bodyBytes: ServerJSON.embeddings(vectors, model: model.modelID))
    }

    /// `n` option indices: the argmax at temperature 0, else draws from softmax(logprob / T) with a
    /// generator seeded by `seed` (so a repeated request gets the same picks).
    static func pick(logprobs: [Double], temperature: Double, seed: UInt64, n: Int) -> [Int] {
        var best = 0
        for i in logprobs.indices where logprobs[i] > logprobs[best] { best = i }
        guard temperature > 0 else { return Array(repeating: best, count: n) }
        // softmax with the max subtracted for numerical stability
        let weights = logprobs.map { exp(($0 - logprobs[best]) / temperature) }
        let total = weights.reduce(0, +)
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            var u = rng.uniform() * total
            for (i, w) in weights.enumerated() {
                u -= w
                if u < 0 { return i }
            }
            return best
        }
    }

    private func response(_ reply: Reply) -> HTTPResponse {
        if let stream = reply.stream {
            return HTTPResponse(statusCode: reply.statusCode,
                                headers: [.contentType: "text/event-stream", HTTPHeader("Cache-Control"): "no-cache"],
                                body: stream)
        }
        var headers: HTTPHeaders = [.contentType: "application/json"]
        if let retryAfter = reply.retryAfter { headers[HTTPHeader("Retry-After")] = retryAfter }
        return HTTPResponse(statusCode: reply.statusCode, headers: headers, body: reply.bodyBytes)
    }
}
