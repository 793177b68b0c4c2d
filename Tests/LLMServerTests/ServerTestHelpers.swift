import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LLMInterface
import LLMServer
import LLMTestSupport
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A raw HTTP answer for assertions.
struct RawReply {
    var status: Int
    var headers: [String: String]
    var body: Data

    /// The body as a JSON object, failing the test if it is not one.
    func json(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: body)
        return try XCTUnwrap(value as? [String: Any], file: file, line: line)
    }
}

/// Sends one request with a plain URLSession (no retries), with a short timeout.
func send(_ method: String, _ url: URL, json: Any? = nil, rawBody: Data? = nil, timeout: Double = 5) async throws -> RawReply {
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = method
    if let json {
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    } else if let rawBody {
        request.httpBody = rawBody
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = try XCTUnwrap(response as? HTTPURLResponse)
    var headers: [String: String] = [:]
    for (name, value) in http.allHeaderFields { headers[String(describing: name).lowercased()] = String(describing: value) }
    return RawReply(status: http.statusCode, headers: headers, body: data)
}

/// Starts a server over `model`, runs `body` with its base URL, and always stops it.
func withServer(model: any LLMClient = EchoModel(), faults: FaultPlan = .none,
                embed: (@Sendable ([String]) async throws -> [[Float]])? = nil, limits: ServerLimits = ServerLimits(),
                _ body: (URL, OpenAICompatibleServer) async throws -> Void) async throws {
    let server = OpenAICompatibleServer(model: model, embed: embed, faults: faults, recordsRequests: true, limits: limits)
    try await server.start()
    do {
        let url = await server.baseURL
        let base = try XCTUnwrap(url)
        try await body(base, server)
    } catch {
        await server.stop(gracePeriod: 0.05)
        throw error
    }
    await server.stop(gracePeriod: 0.05)
}

/// Checks that `reply` carries the OpenAI error shape `{"error": {"message", "type", "param", "code"}}`
/// with `status`, and returns the error object.
@discardableResult
func assertOpenAIError(_ reply: RawReply, status: Int, param: String? = nil, mentions: [String] = [],
                       file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    XCTAssertEqual(reply.status, status, String(decoding: reply.body, as: UTF8.self), file: file, line: line)
    XCTAssertEqual(reply.headers["content-type"], "application/json", file: file, line: line)
    let error = try XCTUnwrap(try reply.json(file: file, line: line)["error"] as? [String: Any], file: file, line: line)
    XCTAssertEqual(Set(error.keys), ["message", "type", "param", "code"], file: file, line: line)
    XCTAssertNotNil(error["type"] as? String, file: file, line: line)
    XCTAssertTrue(error["param"] is String || error["param"] is NSNull, file: file, line: line)
    let message = try XCTUnwrap(error["message"] as? String, file: file, line: line)
    if let param { XCTAssertEqual(error["param"] as? String, param, message, file: file, line: line) }
    for word in mentions { XCTAssertTrue(message.contains(word), "\(message) should mention \(word)", file: file, line: line) }
    return error
}

/// What a raw-socket exchange received: the decoded body and when the first event and the end arrived.
struct RawExchange {
    var statusLine: String
    var headers: [String: String]
    var body: Data
    /// Seconds from sending to the first `data:` line arriving (nil when none came).
    var firstEventAfter: Double?
    /// Seconds from sending to the server closing the connection (or the read giving up).
    var endedAfter: Double

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Sends one HTTP/1.1 request over a plain TCP socket (`Connection: close`) and reads until the
/// server closes, decoding chunked transfer encoding, on a thread of its own (blocking reads must
/// not occupy the cooperative pool the server runs on). With `closeAfterFirstEvent` the socket is
/// closed as soon as one `data:` line arrived, as a client that goes away would.
func rawHTTP(port: Int, method: String = "POST", path: String, json: Any, timeout: Double = 10,
             closeAfterFirstEvent: Bool = false) async throws -> RawExchange {
    let body = try JSONSerialization.data(withJSONObject: json)
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
    head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    let request = Data(head.utf8) + body
    return try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try rawExchange(port: port, request: request, timeout: timeout,
                                                               closeAfterFirstEvent: closeAfterFirstEvent) })
        }
        thread.start()
    }
}

struct RawSocketError: Error, CustomStringConvertible {
    var description: String
}

private func rawExchange(port: Int, request: Data, timeout: Double, closeAfterFirstEvent: Bool) throws -> RawExchange {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw RawSocketError(description: "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw RawSocketError(description: "connect() failed") }
    var wait = timeval(tv_sec: 0, tv_usec: 200_000)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    let started = Date()
    try request.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            guard sent > 0 else { throw RawSocketError(description: "send() failed") }
            offset += sent
        }
    }
    var received = Data()
    var firstEvent: Double?
    var buffer = [UInt8](repeating: 0, count: 65536)
    let marker = Data("data: ".utf8)
    while Date().timeIntervalSince(started) < timeout {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count == 0 { break }
        if count < 0 { continue }  // the 200 ms receive timeout: look at the clock again
        received.append(contentsOf: buffer[0..<count])
        if firstEvent == nil, received.range(of: marker) != nil {
            firstEvent = Date().timeIntervalSince(started)
            if closeAfterFirstEvent { break }
        }
    }
    let ended = Date().timeIntervalSince(started)
    guard let split = received.range(of: Data("\r\n\r\n".utf8)) else {
        throw RawSocketError(description: "no HTTP header in \(received.count) bytes")
    }
    let headLines = String(decoding: received[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    var headers: [String: String] = [:]
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var payload = Data(received[split.upperBound...])
    if headers["transfer-encoding"]?.lowercased() == "chunked", !closeAfterFirstEvent {
        payload = try decodeChunked(payload)
    }
    return RawExchange(statusLine: headLines.first ?? "", headers: headers, body: payload,
                       firstEventAfter: firstEvent, endedAfter: ended)
}

/// Undoes HTTP/1.1 chunked transfer encoding, insisting on the final zero-length chunk.
func decodeChunked(_ data: Data) throws -> Data {
    var bytes = [UInt8](data)[...]
    var out = Data()
    while true {
        guard let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\r")), bytes.index(after: lineEnd) < bytes.endIndex,
              let size = Int(String(decoding: bytes[bytes.startIndex..<lineEnd], as: UTF8.self), radix: 16)
        else { throw RawSocketError(description: "bad chunk header") }
        let start = lineEnd + 2
        if size == 0 { return out }
        guard start + size + 2 <= bytes.endIndex else { throw RawSocketError(description: "chunk cut short") }
        out.append(contentsOf: bytes[start..<(start + size)])
        bytes = bytes[(start + size + 2)...]
    }
}

/// The events of a `text/event-stream` body, checking its framing: every event is exactly
/// `data: …\n\n`. Returns the payloads (`[DONE]` included).
func serverSentEvents(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    XCTAssertTrue(body.hasSuffix("\n\n"), "the stream must end with a blank line", file: file, line: line)
    return body.components(separatedBy: "\n\n").dropLast().map { event in
        XCTAssertTrue(event.hasPrefix("data: "), "event without data: \(event)", file: file, line: line)
        XCTAssertFalse(event.contains("\n"), "an event must be one line: \(event)", file: file, line: line)
        return String(event.dropFirst("data: ".count))
    }
}
