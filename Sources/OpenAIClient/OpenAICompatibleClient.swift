import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Basics
import LLMInterface

/// An `LLMClient` for any server speaking the OpenAI API (vLLM, llama.cpp server, Ollama, OpenAI,
/// `hydra serve`).
///
/// `.chat` prompts go to `/chat/completions`, `.raw` prompts to `/completions`, with `n`,
/// temperature, top_p, max_tokens, stop, seed (and top_k when set). Every call is bounded by the
/// configured concurrency, timed out per attempt and retried per `RetryPolicy`; errors that cannot
/// succeed on a retry (a base URL without a host, 4xx other than 429) fail at once.
///
/// A server that answers fewer choices than `n` (llama.cpp's and Ollama's ignore `n`) is asked
/// again, one request per missing sample with seeds `seed + i`; the client remembers this and
/// from then on sends `n` separate requests (seeds `seed`, `seed + 1`, …) to that server.
///
/// `choose` first tries vLLM's `guided_choice` (with first-token `top_logprobs`). A server that
/// refuses it (400/422 naming `guided_choice`) or ignores it (its answer is not one of the
/// options) is remembered as not supporting it, and later calls ask for free text (greedy, the
/// prompt unchanged) and map it to the nearest option with `OptionMatching.nearestOption`. When
/// the server's log-probs cover every option they are returned as they are; otherwise the pick
/// becomes the one-hot-ish vector of `OptionMatching.oneHotLogProbabilities`.
public final class OpenAICompatibleClient: UsageReportingLLMClient {
    /// The configuration this client was made with.
    public let configuration: OpenAIClientConfiguration
    private let transport: HTTPTransport
    private let semaphore: AsyncSemaphore
    private let capabilities = ServerCapabilities()
    private let usageCounter = LLMUsageCounter()

    /// `openai:` followed by the base URL.
    public var backendID: String { "openai:" + configuration.baseURL.absoluteString }
    /// The configured model name.
    public var modelID: String { configuration.model }

    /// - Parameter configuration: server, model, key variable, timeouts, concurrency and retries.
    public init(configuration: OpenAIClientConfiguration) {
        self.configuration = configuration
        transport = HTTPTransport(maxConnections: configuration.maxConcurrentRequests,
                                  timeout: configuration.requestTimeout)
        semaphore = AsyncSemaphore(limit: configuration.maxConcurrentRequests)
    }

    deinit {
        transport.session.finishTasksAndInvalidate()
    }

    /// Calls by kind and their wall time, and the tokens the server's `usage` fields reported.
    public var usage: LLMUsage { usageCounter.usage }

    /// Whether the server follows `guided_choice`: `nil` until the first `choose` found out.
    public var supportsGuidedChoice: Bool? {
        get async { await capabilities.guidedChoice }
    }

    /// Whether the server answers `n` choices in one request: `nil` until a call with `n` > 1
    /// found out.
    public var honoursN: Bool? {
        get async { await capabilities.honoursN }
    }

    /// Samples `n` completions: in one request with `n`, or, for a server that ignores `n`, in
    /// one request per sample with seeds `seed`, `seed + 1`, … (see the type's documentation).
    /// - Throws: `LLMClientError`, or `CancellationError` when the task is cancelled.
    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        try await counted(\.generateCalls) { try await self.samples(prompt, parameters: parameters, n: n) }
    }

    /// `generate` without counting a call (constrained choice falls back to it).
    private func samples(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int) async throws -> [Completion] {
        guard n >= 1 else { throw LLMClientError.invalidArgument("n must be at least 1 (got \(n))") }
        if n > 1, await capabilities.honoursN == false {
            return try await separateSamples(prompt, parameters: parameters, indices: 0..<n)
        }
        let endpoint = OpenAIWire.endpoint(for: prompt)
        let body = OpenAIWire.body(model: configuration.model, prompt: prompt, parameters: parameters, n: n)
        let isChat = endpoint == "chat/completions"
        let answered = try await post(endpoint, body: body) { object in
            try OpenAIWire.completions(in: object, chat: isChat, atMost: n)
        }
        guard n > 1 else { return answered }
        guard answered.count < n else {
            await capabilities.set(honoursN: true)
            return answered
        }
        await capabilities.set(honoursN: false)
        return answered + (try await separateSamples(prompt, parameters: parameters, indices: answered.count..<n))
    }

    /// Samples `indices` one request each, sample `i` with seed `seed + i`, in index order.
    private func separateSamples(_ prompt: LLMPrompt, parameters: SamplingParameters,
                                 indices: Range<Int>) async throws -> [Completion] {
        let endpoint = OpenAIWire.endpoint(for: prompt)
        let isChat = endpoint == "chat/completions"
        return try await withThrowingTaskGroup(of: (Int, Completion).self) { group in
            for index in indices {
                var seeded = parameters
                seeded.seed = parameters.seed &+ UInt64(index)
                let body = OpenAIWire.body(model: configuration.model, prompt: prompt, parameters: seeded, n: 1)
                group.addTask {
                    let answer = try await self.post(endpoint, body: body) { object in
                        try OpenAIWire.completions(in: object, chat: isChat, atMost: 1)
                    }
                    return (index, answer[0])
                }
            }
            var byIndex: [Int: Completion] = [:]
            for try await (index, completion) in group { byIndex[index] = completion }
            return indices.compactMap { byIndex[$0] }
        }
    }

    /// Log-probabilities of `options` (see the type's documentation for how they are obtained).
    /// - Throws: `LLMClientError`, or `CancellationError` when the task is cancelled.
    public func choose(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        try await counted(\.chooseCalls) { try await self.chosen(prompt, options: options) }
    }

    /// `choose` without counting a call.
    private func chosen(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        guard !options.isEmpty else { throw LLMClientError.invalidArgument("choose needs at least one option") }
        if configuration.tryGuidedChoice, await capabilities.guidedChoice != false {
            do {
                let (result, followed) = try await guidedChoice(prompt, options: options)
                // an answer that is none of the options: the server ignored guided_choice
                await capabilities.set(guidedChoice: followed)
                return result
            } catch let LLMClientError.httpStatus(code, message, _, _)
                        where (code == 400 || code == 422) && message.lowercased().contains("guided_choice") {
                await capabilities.set(guidedChoice: false)
            }
        }
        return try await freeTextChoice(prompt, options: options)
    }

    // MARK: - Constrained choice

    /// The options' log-probabilities, and whether the server followed `guided_choice` (its
    /// log-probs cover the options, or its answer is one of them).
    private func guidedChoice(_ prompt: LLMPrompt, options: [String]) async throws -> ([Double], Bool) {
        let endpoint = OpenAIWire.endpoint(for: prompt)
        let isChat = endpoint == "chat/completions"
        let topLogprobs = min(options.count, 20)
        var extra: [String: Any] = ["guided_choice": options]
        if isChat {
            extra["logprobs"] = true
            extra["top_logprobs"] = topLogprobs
        } else {
            extra["logprobs"] = topLogprobs
        }
        let longest = options.map(\.utf8.count).max() ?? 1
        let body = OpenAIWire.body(model: configuration.model, prompt: prompt,
                                   parameters: .greedy(maxTokens: max(16, longest)), n: 1, extra: extra)
        return try await post(endpoint, body: body) { object in
            let choices = try OpenAIWire.choices(in: object)
            guard let choice = choices.first else { throw MissingField(path: "choices[0]") }
            let alternatives = OpenAIWire.firstTokenAlternatives(in: choice)
            if options.allSatisfy({ alternatives[$0] != nil }) {
                return (options.map { alternatives[$0]! }, true)
            }
            let text = try OpenAIWire.completions(in: ["choices": [choice]], chat: isChat, atMost: 1)[0].text
            let followed = options.contains(text.trimmingCharacters(in: .whitespacesAndNewlines))
            return (OptionMatching.oneHotLogProbabilities(
                picked: OptionMatching.nearestOption(to: text, options: options), count: options.count), followed)
        }
    }

    private func freeTextChoice(_ prompt: LLMPrompt, options: [String]) async throws -> [Double] {
        let completions = try await samples(
            prompt, parameters: .greedy(maxTokens: configuration.freeTextChoiceMaxTokens), n: 1)
        let text = completions.first?.text ?? ""
        return OptionMatching.oneHotLogProbabilities(
            picked: OptionMatching.nearestOption(to: text, options: options), count: options.count)
    }

    // MARK: - Requests with retries

    /// Why one attempt failed, kept until the retries are exhausted.
    private enum AttemptFailure {
        case status(code: Int, message: String)
        case malformed(String)
        case timedOut
        case connection(String)
    }

    /// POSTs `body` to `endpoint` and decodes the answer, retrying per the policy.
    private func post<T: Sendable>(_ endpoint: String, body: [String: Any],
                                   decode: ([String: Any]) throws -> T) async throws -> T {
        if let problem = OpenAIClientConfiguration.problem(withBaseURL: configuration.baseURL) {
            throw LLMClientError.invalidArgument("base URL \(problem)")
        }
        let url = configuration.baseURL.appendingPathComponent(endpoint)
        let payload = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let policy = configuration.retry
        var lastFailure = AttemptFailure.connection("no attempt made")
        for attempt in 1...policy.maxAttempts {
            // Read at request time and kept only in this frame; used for the header and redaction.
            let key = try apiKey()
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.httpBody = payload
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("application/json", forHTTPHeaderField: "Accept")
            if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }

            try await semaphore.acquire()
            let reply: HTTPReply
            do {
                reply = try await transport.send(request, timeout: configuration.requestTimeout)
                await semaphore.release()
            } catch is CancellationError {
                await semaphore.release()
                throw CancellationError()
            } catch TransportFailure.timedOut {
                await semaphore.release()
                lastFailure = .timedOut
                try await backOff(after: attempt, retryAfter: nil, endpoint: endpoint,
                                  reason: "timed out after \(configuration.requestTimeout) s")
                continue
            } catch let TransportFailure.connection(message) {
                await semaphore.release()
                lastFailure = .connection(redact(message, key: key))
                try await backOff(after: attempt, retryAfter: nil, endpoint: endpoint,
                                  reason: "could not connect: \(redact(message, key: key))")
                continue
            } catch let TransportFailure.permanent(message) {
                await semaphore.release()
                throw LLMClientError.connectionFailed(endpoint: endpointName(endpoint), message: redact(message, key: key),
                                                      attempts: attempt)
            } catch {
                await semaphore.release()
                throw error
            }

            if (200..<300).contains(reply.status) {
                do {
                    let object = try OpenAIWire.object(from: reply.body)
                    let decoded = try decode(object)
                    countTokens(in: object)
                    return decoded
                } catch let missing as MissingField {
                    lastFailure = .malformed(redact(missing.path, key: key))
                    try await backOff(after: attempt, retryAfter: nil, endpoint: endpoint,
                                      reason: "answered without \(redact(missing.path, key: key))")
                    continue
                }
            }
            let message = redact(OpenAIWire.errorMessage(from: reply.body), key: key)
            guard reply.status == 429 || reply.status >= 500 else {
                throw LLMClientError.httpStatus(code: reply.status, message: message,
                                                endpoint: endpointName(endpoint), attempts: attempt)
            }
            lastFailure = .status(code: reply.status, message: message)
            let retryAfter = reply.headers["retry-after"].flatMap { RetryPolicy.parseRetryAfter($0) }
            try await backOff(after: attempt, retryAfter: retryAfter, endpoint: endpoint,
                              reason: "got HTTP \(reply.status): \(message.prefix(200))")
        }
        let attempts = policy.maxAttempts
        switch lastFailure {
        case let .status(code, message):
            throw LLMClientError.httpStatus(code: code, message: message, endpoint: endpointName(endpoint), attempts: attempts)
        case let .malformed(missing):
            throw LLMClientError.malformedResponse(endpoint: endpointName(endpoint), missing: missing, attempts: attempts)
        case .timedOut:
            throw LLMClientError.timedOut(endpoint: endpointName(endpoint), attempts: attempts,
                                          timeout: configuration.requestTimeout)
        case let .connection(message):
            throw LLMClientError.connectionFailed(endpoint: endpointName(endpoint), message: message, attempts: attempts)
        }
    }

    // MARK: - Usage

    /// Runs one call, counting it under `kind` with its wall time (retries and waits included)
    /// once it has answered.
    private func counted<T>(_ kind: WritableKeyPath<LLMUsage, Int>, _ call: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        let result = try await call()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        usageCounter.add {
            $0[keyPath: kind] += 1
            $0.seconds += seconds
        }
        return result
    }

    /// Adds the token counts of an answer's `usage` (servers that omit it count nothing).
    private func countTokens(in object: [String: Any]) {
        guard let usage = object["usage"] as? [String: Any] else { return }
        let prompt = (usage["prompt_tokens"] as? NSNumber)?.intValue ?? 0
        let completion = (usage["completion_tokens"] as? NSNumber)?.intValue ?? 0
        usageCounter.add {
            $0.promptTokens += prompt
            $0.generatedTokens += completion
        }
    }

    /// Tells `onRetry`, then sleeps before the next attempt (not after the last one); throws
    /// `CancellationError` at once if the task is cancelled meanwhile.
    private func backOff(after attempt: Int, retryAfter: Double?, endpoint: String, reason: String) async throws {
        guard attempt < configuration.retry.maxAttempts else { return }
        let seconds = configuration.retry.delay(afterAttempt: attempt, retryAfter: retryAfter,
                                                random: Double.random(in: 0..<1))
        configuration.onRetry?(RetryNotice(endpoint: endpointName(endpoint), failedAttempt: attempt,
                                           maxAttempts: configuration.retry.maxAttempts, reason: reason, delay: seconds))
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }

    /// The API key from the configured environment variable, or `nil` when none is configured.
    private func apiKey() throws -> String? {
        guard let variable = configuration.apiKeyVariable else { return nil }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw LLMClientError.missingAPIKey(variable: variable)
        }
        return value
    }

    private func redact(_ text: String, key: String?) -> String {
        guard let key, !key.isEmpty else { return text }
        return text.replacingOccurrences(of: key, with: "<redacted>")
    }

    private func endpointName(_ endpoint: String) -> String {
        "POST " + configuration.baseURL.appendingPathComponent(endpoint).path
    }
}

/// What this client has learned about its server.
private actor ServerCapabilities {
    var guidedChoice: Bool?
    var honoursN: Bool?

    func set(guidedChoice value: Bool) {
        guidedChoice = value
    }

    func set(honoursN value: Bool) {
        honoursN = value
    }
}
