import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP answer, copied out of Foundation's types so it can cross tasks.
struct HTTPReply: Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data
}

/// Why one attempt failed before a usable HTTP answer arrived.
enum TransportFailure: Error {
    case timedOut
    case connection(String)
    /// The request can never be sent as it is (a malformed or unsupported URL): not worth retrying.
    case permanent(String)
}

/// Sends requests through a `URLSession`, with a hard per-attempt timeout and prompt cancellation.
struct HTTPTransport: Sendable {
    let session: URLSession

    init(maxConnections: Int, timeout: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnections
        // The race in `send(_:timeout:)` is the real limit; these are backstops.
        configuration.timeoutIntervalForRequest = timeout + 5
        configuration.timeoutIntervalForResource = timeout + 5
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// Sends `request`, giving up after `timeout` seconds.
    /// - Throws: `TransportFailure`, or `CancellationError` when the calling task is cancelled.
    func send(_ request: URLRequest, timeout: Double) async throws -> HTTPReply {
        let outcome = try await withThrowingTaskGroup(of: HTTPReply?.self) { group -> HTTPReply? in
            group.addTask { try await self.send(request) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { return nil }
            return first
        }
        try Task.checkCancellation()
        guard let reply = outcome else { throw TransportFailure.timedOut }
        return reply
    }

    private func send(_ request: URLRequest) async throws -> HTTPReply {
        let handle = DataTaskHandle()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPReply, any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        let nsError = error as NSError
                        if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorCancelled {
                            continuation.resume(throwing: CancellationError())
                        } else if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorTimedOut {
                            continuation.resume(throwing: TransportFailure.timedOut)
                        } else if nsError.domain == NSURLErrorDomain,
                                  [NSURLErrorBadURL, NSURLErrorUnsupportedURL].contains(nsError.code) {
                            continuation.resume(throwing: TransportFailure.permanent(nsError.localizedDescription))
                        } else {
                            continuation.resume(throwing: TransportFailure.connection(nsError.localizedDescription))
                        }
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: TransportFailure.connection("no HTTP response"))
                        return
                    }
                    var headers: [String: String] = [:]
                    for (name, value) in http.allHeaderFields {
                        headers[String(describing: name).lowercased()] = String(describing: value)
                    }
                    continuation.resume(returning: HTTPReply(status: http.statusCode, headers: headers, body: data ?? Data()))
                }
                handle.start(task)
            }
        } onCancel: {
            handle.cancel()
        }
    }
}

/// Holds a data task so a cancellation that races its creation still cancels it.
private final class DataTaskHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionDataTask?
    private var cancelled = false

    func start(_ task: URLSessionDataTask) {
        lock.lock()
        self.task = task
        let cancelNow = cancelled
        lock.unlock()
        task.resume()
        if cancelNow { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}
