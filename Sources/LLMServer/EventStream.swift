import FlyingSocks
import Foundation

/// The server-sent events of one streamed completion, shaped as the OpenAI API sends them:
/// `data: {chunk}\n\n` per piece of text (`chat.completion.chunk` with a `delta`, or
/// `text_completion` with `text`), a chunk with each choice's `finish_reason`, a usage chunk with
/// empty `choices` when `stream_options.include_usage` asked for it, then `data: [DONE]\n\n`.
struct CompletionChunks {
    let id: String
    let model: String
    let created: Int
    let chat: Bool
    /// When set, every chunk carries `"usage": null` and a last chunk carries the usage.
    let includeUsage: Bool

    /// The terminating event.
    static let done = Data("data: [DONE]\n\n".utf8)

    /// One event carrying `object` as JSON on a single line.
    static func event(_ object: [String: Any]) -> Data {
        var data = Data("data: ".utf8)
        data.append(ServerJSON.data(object))
        data.append(contentsOf: "\n\n".utf8)
        return data
    }

    /// Chat only: the first chunk of a choice, announcing the assistant role.
    func roleChunk(index: Int) -> Data {
        chunk(choice: ["index": index, "delta": ["role": "assistant", "content": ""], "logprobs": NSNull(),
                       "finish_reason": NSNull()])
    }

    /// A piece of a choice's text.
    func textChunk(index: Int, text: String) -> Data {
        if chat {
            return chunk(choice: ["index": index, "delta": ["content": text], "logprobs": NSNull(), "finish_reason": NSNull()])
        }
        return chunk(choice: ["index": index, "text": text, "logprobs": NSNull(), "finish_reason": NSNull()])
    }

    /// The end of a choice, with the API's finish reason.
    func finishChunk(index: Int, reason: String) -> Data {
        let finish = ServerJSON.apiFinishReason(reason)
        if chat {
            return chunk(choice: ["index": index, "delta": [String: Any](), "logprobs": NSNull(), "finish_reason": finish])
        }
        return chunk(choice: ["index": index, "text": "", "logprobs": NSNull(), "finish_reason": finish])
    }

    /// The usage of the whole request, with empty `choices`.
    func usageChunk(_ usage: TokenUsage) -> Data {
        Self.event(envelope(choices: [], usage: ServerJSON.usage(usage)))
    }

    private func chunk(choice: [String: Any]) -> Data {
        Self.event(envelope(choices: [choice], usage: NSNull()))
    }

    private func envelope(choices: [[String: Any]], usage: Any) -> [String: Any] {
        var object: [String: Any] = ["id": id, "object": chat ? "chat.completion.chunk" : "text_completion",
                                     "created": created, "model": model, "choices": choices]
        if includeUsage { object["usage"] = usage }
        return object
    }
}

/// What of a sample's growing text may be sent: everything except a tail that could still turn
/// into a stop string (the model cuts the text before a stop string, so that tail may vanish).
struct StopStringHoldback {
    private let stops: [[UInt8]]
    private var received: [UInt8] = []
    private var sent = 0

    init(stops: [String]) {
        self.stops = stops.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Takes the next piece; returns the text that became safe to send (possibly empty).
    mutating func append(_ piece: String) -> String {
        received += piece.utf8
        let end = safeEnd()
        guard end > sent else { return "" }
        defer { sent = end }
        return String(decoding: received[sent..<end], as: UTF8.self)
    }

    /// Takes the sample's final text; returns what of it is still unsent. Empty when the text sent
    /// so far is not a prefix of it (a backend whose pieces disagree with its result).
    mutating func finish(_ text: String) -> String {
        let final = Array(text.utf8)
        guard final.count >= sent, final[..<sent].elementsEqual(received[..<sent]) else { return "" }
        defer { sent = final.count }
        return String(decoding: final[sent...], as: UTF8.self)
    }

    /// The end of the sendable text: before the first whole stop string not yet passed, and before
    /// the longest tail that is the beginning of a stop string.
    private func safeEnd() -> Int {
        var end = received.count
        for stop in stops {
            var start = max(0, sent - stop.count + 1)
            while start + stop.count <= received.count {
                if received[start..<(start + stop.count)].elementsEqual(stop) {
                    end = min(end, start)
                    break
                }
                start += 1
            }
            for length in stride(from: min(stop.count - 1, received.count), through: 1, by: -1)
            where received[(received.count - length)...].elementsEqual(stop[..<length]) {
                end = min(end, received.count - length)
                break
            }
        }
        return max(end, sent)
    }
}

/// Writes one streamed completion's events into the response body as the model produces text;
/// called from the generating thread, hence the lock.
///
/// Until the first output the request can still fail with a plain HTTP error (a prompt that does
/// not fit, a model error); `waitUntilStarted` tells the handler which it is.
final class CompletionEventWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let chunks: CompletionChunks
    private let sink: AsyncStream<Data>.Continuation
    private var texts: [StopStringHoldback]
    private var started = false
    private var ended = false
    private var startResult: Result<Void, any Error>?
    private var startWaiter: CheckedContinuation<Void, any Error>?

    init(chunks: CompletionChunks, n: Int, stops: [String], sink: AsyncStream<Data>.Continuation) {
        self.chunks = chunks
        self.sink = sink
        texts = Array(repeating: StopStringHoldback(stops: stops), count: n)
    }

    /// Returns once the first output was written, or throws the error that came before any.
    func waitUntilStarted() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready: Result<Void, any Error>? = lock.withLock {
                if startResult == nil { startWaiter = continuation }
                return startResult
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// A piece of sample `index`'s text (see `StreamingLLMClient`).
    func text(_ index: Int, _ piece: String) {
        lock.withLock {
            guard !ended, texts.indices.contains(index) else { return }
            startIfNeeded()
            let safe = texts[index].append(piece)
            if !safe.isEmpty { sink.yield(chunks.textChunk(index: index, text: safe)) }
        }
    }

    /// The final texts: what is left of each, each choice's finish chunk, the usage, `[DONE]`.
    func finish(_ choices: [ServerJSON.Choice], usage: TokenUsage) {
        lock.withLock {
            guard !ended else { return }
            startIfNeeded()
            for (index, choice) in choices.enumerated() where texts.indices.contains(index) {
                let rest = texts[index].finish(choice.text)
                if !rest.isEmpty { sink.yield(chunks.textChunk(index: index, text: rest)) }
                sink.yield(chunks.finishChunk(index: index, reason: choice.finishReason))
            }
            if chunks.includeUsage { sink.yield(chunks.usageChunk(usage)) }
            sink.yield(CompletionChunks.done)
            end()
        }
    }

    /// Before any output: the handler answers with `error` as a plain HTTP error. After: an error
    /// event (`data: {"error": …}`) ends the stream, as the OpenAI API does.
    /// - Parameter errorBody: the OpenAI error JSON for `error`.
    func fail(_ error: any Error, errorBody: Data) {
        lock.withLock {
            guard !ended else { return }
            if started {
                sink.yield(CompletionChunks.event(errorObject(errorBody)))
            } else {
                signalStart(.failure(error))
            }
            end()
        }
    }

    private func errorObject(_ body: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? ["error": ["message": "stream failed"]]
    }

    // The helpers below run with the lock held.

    private func startIfNeeded() {
        guard !started else { return }
        started = true
        if chunks.chat {
            for index in texts.indices { sink.yield(chunks.roleChunk(index: index)) }
        }
        signalStart(.success(()))
    }

    private func signalStart(_ result: Result<Void, any Error>) {
        guard startResult == nil else { return }
        startResult = result
        startWaiter?.resume(with: result)
        startWaiter = nil
    }

    private func end() {
        ended = true
        sink.finish()
    }
}

/// A response body fed by an `AsyncStream` of event bytes, so FlyingFox writes each event as soon
/// as it is produced (chunked transfer encoding). When the body is dropped (the client went away
/// or the response ended) `onDrop` runs, which lets the server cancel the generation.
struct EventStreamBody: AsyncBufferedSequence {
    typealias Element = UInt8
    let events: AsyncStream<Data>
    let onDrop: @Sendable () -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(events: events.makeAsyncIterator(), signal: DropSignal(onDrop))
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<Data>.Iterator
        let signal: DropSignal
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            try await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            while pending.isEmpty {
                guard let data = await events.next() else { return nil }
                pending = [UInt8](data)
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }
    }

    /// Runs its action when the last iterator holding it goes away.
    final class DropSignal: Sendable {
        private let action: @Sendable () -> Void
        init(_ action: @escaping @Sendable () -> Void) { self.action = action }
        deinit { action() }
    }
}
