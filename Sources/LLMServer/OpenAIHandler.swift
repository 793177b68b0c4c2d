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
struct OpenAIHandler: HTTPHandler {
    let model: any LLMClient
    let embed: (@Sendable ([String]) async throws -> [[Float]])?
    let plan: FaultPlan
    let injector: FaultInjector
    let recorder: RequestRecorder?
    /// When `false`, `guided_choice` is refused with 400, as plain OpenAI servers do.
    let acceptsGuidedChoice: Bool
    /// Larger bodies are refused with 413.
    let maxRequestBytes: Int

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let recorder {
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.rawValue.lowercased()] = value }
            await recorder.record(RecordedRequest(method: request.method.rawValue, path: request.path, headers: headers))
        }
        let fault = await injector.next()
        if plan.delay > 0 { try await Task.sleep(nanoseconds: UInt64(plan.delay * 1e9)) }
        switch fault {
        case .delay(let seconds):
            try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
        case .tooManyRequests(let retryAfter):
            var headers: HTTPHeaders = [.contentType: "application/json"]
            if let retryAfter { headers[HTTPHeader("Retry-After")] = retryAfter }
            return HTTPResponse(statusCode: .tooManyRequests, headers: headers,
                                body: ServerJSON.error(message: "injected fault: rate limited", type: "rate_limit_error", code: 429))
        case .serverError:
            return json(.internalServerError, ServerJSON.error(message: "injected fault: server error", type: "server_error", code: 500))
        case .none, .truncatedJSON, .invalidJSON:
            break
        }
        let response = await route(request)
        switch fault {
        case .truncatedJSON:
            return json(response.statusCode, response.bodyBytes.prefix(response.bodyBytes.count / 2))
        case .invalidJSON:
            return json(response.statusCode, Data("<html>injected fault: not JSON</html>".utf8))
        default:
            return json(response.statusCode, response.bodyBytes)
        }
    }

    /// A response before faults corrupt it.
    private struct Reply {
        var statusCode: HTTPStatusCode
        var bodyBytes: Data
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
                return try await embeddings(JSONFields(body: try await body(of: request)))
            default:
                let fields = try JSONFields(body: try await body(of: request))
                return try await completion(CompletionRequest(fields: fields, chat: chat), chat: chat)
            }
        } catch let bad as BadRequest {
            return Reply(statusCode: .badRequest, bodyBytes: ServerJSON.error(
                message: bad.message, type: "invalid_request_error", param: bad.field, code: 400))
        } catch let tooLarge as PayloadTooLarge {
            return Reply(statusCode: .payloadTooLarge, bodyBytes: ServerJSON.error(
                message: "request body is larger than \(tooLarge.limit) bytes", type: "invalid_request_error", code: 413))
        } catch let tooLong as ContextLengthExceeded {
            return Reply(statusCode: .badRequest, bodyBytes: ServerJSON.contextLengthExceeded(tooLong, chat: chat))
        } catch {
            return Reply(statusCode: .internalServerError, bodyBytes: ServerJSON.error(
                message: "model error: \(error)", type: "server_error", code: 500))
        }
    }

    /// A body over `maxRequestBytes`, refused before it is all read.
    private struct PayloadTooLarge: Error {
        var limit: Int
    }

    /// The request body, refused once it grows past `maxRequestBytes` (from `Content-Length` when
    /// given, else while the chunks arrive), so no request can make the server hold more.
    private func body(of request: HTTPRequest) async throws -> Data {
        if let declared = request.bodySequence.count, declared > maxRequestBytes {
            throw PayloadTooLarge(limit: maxRequestBytes)
        }
        var body = Data()
        for try await chunk in request.bodySequence {
            body.append(chunk)
            guard body.count <= maxRequestBytes else { throw PayloadTooLarge(limit: maxRequestBytes) }
        }
        return body
    }

    private func completion(_ request: CompletionRequest, chat: Bool) async throws -> Reply {
        let id = (chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.lowercased()
        let created = Int(Date().timeIntervalSince1970)
        var choices: [ServerJSON.Choice] = []
        if request.guidedChoice != nil, !acceptsGuidedChoice {
            throw BadRequest(field: "guided_choice", message: "unrecognized request argument: guided_choice")
        }
        if let options = request.guidedChoice {
            let logprobs = try await model.choose(request.prompt, options: options)
            guard logprobs.count == options.count else {
                throw BadRequest(field: "guided_choice", message: "model returned \(logprobs.count) scores for \(options.count) options")
            }
            let picks = Self.pick(logprobs: logprobs, temperature: request.parameters.temperature,
                                  seed: request.parameters.seed, n: request.n)
            let all = Array(zip(options, logprobs))
            choices = picks.map { index in
                ServerJSON.Choice(text: options[index], finishReason: "stop",
                                  optionLogprobs: request.wantsLogprobs ? (logprobs[index], all) : nil)
            }
        } else {
            let completions = try await model.generate(request.prompt, parameters: request.parameters, n: request.n)
            choices = completions.map { ServerJSON.Choice(text: $0.text, finishReason: $0.finishReason, optionLogprobs: nil) }
        }
        return Reply(statusCode: .ok, bodyBytes: ServerJSON.completion(
            id: id, model: model.modelID, chat: chat, choices: choices, created: created))
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

    private func json(_ status: HTTPStatusCode, _ body: Data) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: body)
    }
}
