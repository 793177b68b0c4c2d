import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LLMInterface
import LLMServer
import LLMTestSupport
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
func send(_ method: String, _ url: URL, json: Any? = nil, rawBody: Data? = nil) async throws -> RawReply {
    var request = URLRequest(url: url, timeoutInterval: 5)
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
                embed: (@Sendable ([String]) async throws -> [[Float]])? = nil,
                _ body: (URL, OpenAICompatibleServer) async throws -> Void) async throws {
    let server = OpenAICompatibleServer(model: model, embed: embed, faults: faults, recordsRequests: true)
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
