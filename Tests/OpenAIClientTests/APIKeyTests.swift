import Foundation
import LLMInterface
import LLMServer
import LLMTestSupport
import OpenAIClient
import XCTest

final class APIKeyTests: XCTestCase {
    private let secret = "sk-test-5f2b9c81-never-print-me"

    func testAPIKey_IsReadFromTheNamedVariableAndSentAsBearer() async throws {
        setenv("HYDRA_NET_TEST_KEY_A", secret, 1)
        defer { unsetenv("HYDRA_NET_TEST_KEY_A") }
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, keyVariable: "HYDRA_NET_TEST_KEY_A"))
            _ = try await client.generate(.raw("x"), parameters: .greedy(), n: 1)
            let headers = await server.recordedRequests.first?.headers
            XCTAssertEqual(headers?["authorization"], "Bearer \(secret)")
        }
    }

    func testAPIKey_NoVariable_SendsNoAuthorization() async throws {
        try await withServer { base, server in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base))
            _ = try await client.generate(.raw("x"), parameters: .greedy(), n: 1)
            let headers = await server.recordedRequests.first?.headers
            XCTAssertNil(headers?["authorization"])
        }
    }

    func testAPIKey_MissingVariable_ErrorNamesVariableOnly() async throws {
        unsetenv("HYDRA_NET_TEST_KEY_UNSET")
        let client = OpenAICompatibleClient(configuration: testConfiguration(
            URL(string: "http://127.0.0.1:9/v1")!, keyVariable: "HYDRA_NET_TEST_KEY_UNSET"))
        let error = await expectError { try await client.generate(.raw("x"), parameters: .greedy(), n: 1) }
        XCTAssertEqual(error as? LLMClientError, .missingAPIKey(variable: "HYDRA_NET_TEST_KEY_UNSET"))
    }

    /// A server that echoes the key back (as some do in auth errors) must not leak it into errors.
    func testAPIKey_IsRedactedFromServerMessagesInErrors() async throws {
        setenv("HYDRA_NET_TEST_KEY_B", secret, 1)
        defer { unsetenv("HYDRA_NET_TEST_KEY_B") }
        let model = EchoModel(failure: "rejected credentials \(secret)")
        try await withServer(model: model) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, attempts: 2, keyVariable: "HYDRA_NET_TEST_KEY_B"))
            let error = await expectError { try await client.generate(.raw("x"), parameters: .greedy(), n: 1) }
            let text = String(describing: try XCTUnwrap(error)) + ((error as? LocalizedError)?.errorDescription ?? "")
            XCTAssertTrue(text.contains("rejected credentials <redacted>"), text)
            XCTAssertFalse(text.contains(secret))
            XCTAssertFalse(String(reflecting: error!).contains(secret))
        }
    }

    func testAPIKey_NotInAnyErrorDescription() async throws {
        setenv("HYDRA_NET_TEST_KEY_C", secret, 1)
        defer { unsetenv("HYDRA_NET_TEST_KEY_C") }
        try await withServer(faults: FaultPlan(invalidJSONRate: 1)) { base, _ in
            let client = OpenAICompatibleClient(configuration: testConfiguration(base, attempts: 1, keyVariable: "HYDRA_NET_TEST_KEY_C"))
            let error = await expectError { try await client.generate(.raw("x"), parameters: SamplingParameters(temperature: 0), n: 1) }
            XCTAssertNotNil(error as? LLMClientError)
            XCTAssertFalse(String(reflecting: error!).contains(secret))
        }
    }
}
