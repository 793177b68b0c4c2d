import ArgumentParser
import Dispatch
import Encoder
import EngineBackend
import Foundation
import LLMServer
import Workspace

/// `hydra serve`: the embedded model (and MiniLM as /v1/embeddings) over an OpenAI-compatible
/// API on a loopback port, so other tools can use it and the client is tested over a real socket.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the embedded SmolLM2 (and MiniLM embeddings) as an OpenAI-compatible API on loopback.")

    @Option(help: "Port (0 picks a free one).") var port: Int = 8000
    @Option(help: "127.0.0.1, localhost or ::1 (loopback only).") var host: String = "127.0.0.1"
    @Option(help: "Fault injection, e.g. delay=200ms,429=0.2:retry-after=1,500=0.1,truncate=0.1,invalid-json=0.1,seed=3")
    var faults: String = ""
    @Option(help: "Requests that may wait for the model; one more is answered 429 with Retry-After.")
    var maxQueue: Int = ServerLimits().maxQueuedRequests
    @Option(help: "Largest n (samples per request).") var maxN: Int = ServerLimits().maxN
    @Option(help: "Requests the model decodes together in one batch; more wait in line (default 8).")
    var batch: Int = 8
    @Option(help: "Seconds the model may work on one request (the wait in the queue does not count).")
    var requestTimeout: Double = ServerLimits().modelCallTimeout
    @Option(help: CLI.precisionHelp) var precision: String?

    func validate() throws {
        guard maxQueue >= 0 else { throw ValidationError("--max-queue must be 0 or more, not \(maxQueue)") }
        guard maxN >= 1 else { throw ValidationError("--max-n must be at least 1, not \(maxN)") }
        guard (1...64).contains(batch) else { throw ValidationError("--batch must be between 1 and 64, not \(batch)") }
        guard requestTimeout.isFinite, requestTimeout > 0 else {
            throw ValidationError("--request-timeout must be a positive number of seconds, not \(requestTimeout)")
        }
        _ = try CLI.parsePrecision(precision)
    }

    func run() async throws {
        try await CLI.guarded {
            let plan: FaultPlan
            do { plan = try FaultPlan(parsing: faults) } catch { throw ValidationError("--faults: \(error)") }
            let llm = try EmbeddedModel.load(precision: CLI.parsePrecision(precision) ?? .standard)
            let minilmDirectory = Paths.modelsDirectory().appendingPathComponent(ModelCatalog.miniLMFolder)
            let encoder = try? MiniLMEncoder(modelDirectory: minilmDirectory)
            if encoder == nil { CLI.note("MiniLM not found: /v1/embeddings is off (run `hydra models fetch`)") }
            var embed: (@Sendable ([String]) async throws -> [[Float]])?
            if let encoder { embed = { @Sendable texts in try encoder.encode(texts) } }
            let limits = ServerLimits(maxN: maxN, maxTokens: llm.contextLength, concurrentModelCalls: batch,
                                      maxQueuedRequests: maxQueue, modelCallTimeout: requestTimeout)
            let server = OpenAICompatibleServer(model: llm, embed: embed, host: host, port: port, faults: plan, limits: limits)
            let bound = try await server.start()
            // Written straight to the file descriptor (unbuffered) so a script can wait for this line.
            FileHandle.standardOutput.write(Data("serving \(llm.modelID) on http://\(host):\(bound)/v1 (Ctrl-C to stop)\n".utf8))
            await TerminationSignal.wait()
            CLI.note("stopping")
            await server.stop()
        }
    }
}

/// Resumes once on SIGINT or SIGTERM, so the server stops cleanly instead of dying mid-response.
final class TerminationSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Void, Never>?

    static func wait() async {
        let waiter = TerminationSignal()
        await withCheckedContinuation { waiter.listen($0) }
    }

    private func listen(_ continuation: CheckedContinuation<Void, Never>) {
        lock.withLock { self.continuation = continuation }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { self.fire() }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    private func fire() {
        let pending: CheckedContinuation<Void, Never>? = lock.withLock {
            defer {
                continuation = nil
                sources.forEach { $0.cancel() }
            }
            return continuation
        }
        pending?.resume()
    }
}
