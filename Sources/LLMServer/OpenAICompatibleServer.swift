import FlyingFox
import Foundation
import LLMInterface

/// Errors from starting the server.
public enum LLMServerError: Error, Equatable, CustomStringConvertible {
    /// Only loopback hosts (`127.0.0.1`, `localhost`, `::1`) may be bound.
    case nonLoopbackHost(String)
    case invalidPort(Int)
    case alreadyStarted
    /// The socket could not be bound or did not start listening; `reason` says why.
    case startFailed(host: String, port: Int, reason: String)

    /// Names the host or port and what went wrong.
    public var description: String {
        switch self {
        case .nonLoopbackHost(let host): return "refusing to bind \(host): only loopback hosts are served"
        case .invalidPort(let port): return "port \(port) is outside 0...65535"
        case .alreadyStarted: return "the server is already running"
        case let .startFailed(host, port, reason): return "could not listen on \(host):\(port): \(reason)"
        }
    }
}

/// Serves any `LLMClient` (and optionally an embedding function) over the OpenAI API on loopback.
///
/// Routes: `GET /v1/models`, `POST /v1/chat/completions`, `POST /v1/completions` (both with `n`,
/// sampling parameters, `"stream": true` as server-sent events, `usage`, vLLM's `guided_choice`
/// answered through `choose`, and `logprobs`, which are filled only for guided choice), and
/// `POST /v1/embeddings` when `embed` is given.
///
/// Completion requests wait in a bounded FIFO queue for the model (`ServerLimits`): a waiting
/// request is never timed out, a full queue answers 429 with `Retry-After`. Bad requests get 400
/// with an OpenAI error body naming the field (`error.param`) and, for a cap, the limit; a prompt
/// that does not fit the model's context with its `max_tokens` gets 400 `context_length_exceeded`,
/// and a body over `maxRequestBytes` gets 413. Every answer has a JSON body (or is an event
/// stream). `faults` injects delays, 429s, 500s and broken JSON for reliability tests.
public actor OpenAICompatibleServer {
    private let handler: OpenAIHandler
    private let host: String
    private let requestedPort: Int
    private var server: HTTPServer?
    private var runTask: Task<Void, any Error>?

    /// 16 MiB (see `ServerLimits.defaultMaxRequestBytes`).
    public static let defaultMaxRequestBytes = ServerLimits.defaultMaxRequestBytes

    /// FlyingFox answers a handler that runs longer than its timeout with an empty 500, and its
    /// timeout covers the whole handler, the wait in the queue included. Waiting is bounded by the
    /// queue and the model's work by `ServerLimits.modelCallTimeout`, so this is only a backstop.
    static let handlerBackstopSeconds: Double = 24 * 3600

    /// The port actually bound, once `start()` returned.
    public private(set) var boundPort: Int?

    /// - Parameters:
    ///   - model: answers the completion routes.
    ///   - embed: answers `/v1/embeddings` (the route is absent when `nil`).
    ///   - host: a loopback address; anything else is refused at `start()`.
    ///   - port: 0 picks a free port (see `boundPort`).
    ///   - faults: what to inject; `.none` for a well-behaved server.
    ///   - recordsRequests: keep every request's method, path and headers (tests only: this
    ///     includes `Authorization`).
    ///   - acceptsGuidedChoice: `false` refuses `guided_choice` with 400 like a plain OpenAI server.
    ///   - limits: request caps, the queue's size and the model's time per request.
    public init(model: any LLMClient, embed: (@Sendable ([String]) async throws -> [[Float]])? = nil,
                host: String = "127.0.0.1", port: Int = 0, faults: FaultPlan = .none,
                recordsRequests: Bool = false, acceptsGuidedChoice: Bool = true,
                limits: ServerLimits = ServerLimits()) {
        handler = OpenAIHandler(model: model, embed: embed, plan: faults, injector: FaultInjector(plan: faults),
                                recorder: recordsRequests ? RequestRecorder() : nil,
                                acceptsGuidedChoice: acceptsGuidedChoice, limits: limits,
                                queue: ModelQueue(slots: limits.concurrentModelCalls, maxWaiting: limits.maxQueuedRequests))
        self.host = host
        requestedPort = port
    }

    /// `http://host:port/v1` once started.
    public var baseURL: URL? {
        guard let boundPort else { return nil }
        let shown = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(boundPort)/v1")
    }

    /// The requests seen so far (empty unless `recordsRequests`).
    public var recordedRequests: [RecordedRequest] {
        get async { await handler.recorder?.requests ?? [] }
    }

    /// Binds and starts serving; returns once the socket listens.
    /// - Returns: the bound port.
    @discardableResult
    public func start() async throws -> Int {
        guard server == nil else { throw LLMServerError.alreadyStarted }
        guard (0...65535).contains(requestedPort) else { throw LLMServerError.invalidPort(requestedPort) }
        let port = UInt16(requestedPort)
        let http: HTTPServer
        switch host {
        case "127.0.0.1", "localhost":
            http = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), timeout: Self.handlerBackstopSeconds, logger: .disabled, handler: handler)
        case "::1":
            http = HTTPServer(address: .loopback(port: port), timeout: Self.handlerBackstopSeconds, logger: .disabled, handler: handler)
        default:
            throw LLMServerError.nonLoopbackHost(host)
        }
        let task = Task { try await http.run() }
        do {
            try await http.waitUntilListening(timeout: 5)
        } catch {
            task.cancel()
            var reason = "not listening after 5 s"
            do { try await task.value } catch let runError { reason = "\(runError)" }
            throw LLMServerError.startFailed(host: host, port: requestedPort, reason: reason)
        }
        guard let address = await http.listeningAddress else {
            task.cancel()
            throw LLMServerError.startFailed(host: host, port: requestedPort, reason: "no listening address")
        }
        switch address {
        case .ip4(_, let bound), .ip6(_, let bound): boundPort = Int(bound)
        case .unix: boundPort = nil
        }
        server = http
        runTask = task
        return boundPort ?? requestedPort
    }

    /// Stops listening, lets requests in flight finish for up to `gracePeriod` seconds, then
    /// cancels what is left and waits for the serving task to end (idle keep-alive connections
    /// hold the server for the whole grace period).
    public func stop(gracePeriod: Double = 1) async {
        guard let server, let runTask else { return }
        await server.stop(timeout: max(0, gracePeriod))
        runTask.cancel()
        _ = await runTask.result
        self.server = nil
        self.runTask = nil
        boundPort = nil
    }
}
