import ArgumentParser
import EngineBackend
import Foundation
import LaMP
import WorkbenchAPI

/// What the head commands share: a session that has been run, and its backend.
struct RunSessionOptions: ParsableArguments {
    @OptionGroup var sessionOptions: SessionOptions
    @Option(help: "embedded, or the base URL of the OpenAI-compatible server the run used (default: the session's).")
    var llm: String?
    @Option(help: "The model name for --llm URL.") var model: String?

    func validate() throws {
        if sessionOptions.session == nil && sessionOptions.data == nil { throw ValidationError("give --session FILE or --data DIR") }
    }

    func backend() async throws -> EngineWorkbenchBackend {
        let (config, file) = try await Workbench.resolveSession(sessionOptions)
        var overrides = RunOverrides()
        overrides.task = try sessionOptions.task.map { try LaMPTask.parse($0, file: "--task") }
        overrides.llm = llm
        overrides.model = model
        overrides.run = sessionOptions.run
        return EngineWorkbenchBackend(source: Workbench.source(config, file: file, sessionOptions), overrides: overrides)
    }
}

extension EngineWorkbenchBackend {
    /// Runs `job` and returns its result, printing progress on stderr.
    func result(of job: Job) async throws -> JobResult {
        let box = ResultBox()
        try await run(job) { event in
            switch event {
            case .result(let result): box.set(result)
            case .note(let line): CLI.note(line)
            case .progress(_, let label): CLI.note(label)
            case .stage, .loss: break
            }
        }
        guard let result = box.value else { throw ValidationError("the job ended without a result") }
        return result
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: JobResult?
    var value: JobResult? { lock.withLock { stored } }
    func set(_ result: JobResult) { lock.withLock { stored = result } }
}

/// `hydra coldstart`: how much history a head needs.
struct ColdStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coldstart",
        abstract: "Fit users' heads on their 5, 10, 20, 40 and all most recent history items and score each.",
        discussion: """
            The session must have been run. Each size is fitted with several seeds (other pseudo-queries, \
            other training order); the primary metric of `hydra` on the users' questions is averaged over \
            the users, and printed beside the run's base-only (hydra-base) and RAG figures. LLM calls go \
            through the session's cache.
            """)

    @OptionGroup var options: RunSessionOptions
    @Option(help: "Comma-separated user ids (default: every evaluation user).") var users: String?
    @Option(help: "Comma-separated history sizes; the whole history is always added.") var sizes = "5,10,20,40"
    @Option(help: "Seeds per size.") var seeds = 3
    @Flag(help: "Print the ColdStartReport as JSON.") var json = false

    func validate() throws {
        guard parsedSizes != nil else { throw ValidationError("--sizes must be positive whole numbers separated by commas, not \"\(sizes)\"") }
        guard (1...20).contains(seeds) else { throw ValidationError("--seeds must be 1 to 20, not \(seeds)") }
    }

    var parsedSizes: [Int]? {
        let values = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return values.compactMap { $0 }
    }

    func run() async throws {
        try await CLI.guarded {
            let ids = users.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let backend = try await options.backend()
            guard case .coldStart(let report) = try await backend.result(of: .coldStart(userIDs: ids, sizes: parsedSizes ?? [], seeds: seeds)) else {
                throw ValidationError("unexpected result")
            }
            if json { return try CLI.printJSON(report) }
            print("cold start: \(report.metric) (\(report.higherIsBetter ? "higher" : "lower") is better), users \(report.userIDs.joined(separator: ", ")), \(report.seeds) seeds")
            print("items     mean     min     max")
            for (i, point) in report.points.enumerated() {
                let size = i == report.points.count - 1 ? "all \(point.size)" : "\(point.size)"
                print(size.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: "%6.3f  %6.3f  %6.3f", point.mean, point.low, point.high))
            }
            print("base only (hydra-base): \(report.baseOnly.map { String(format: "%.3f", $0) } ?? "n/a")   rag: \(report.rag.map { String(format: "%.3f", $0) } ?? "n/a")")
            print(String(format: "%.1f s, %d new LLM calls", report.seconds, report.newLLMCalls))
            for note in report.notes { print("note: " + note) }
        }
    }
}

/// `hydra report`: one user's Markdown report with SVG charts.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one user's Markdown report (history, rankings, outputs, the head's learned preference, losses) with SVG charts.")

    @OptionGroup var options: RunSessionOptions
    @Option(help: "The user id.") var user: String
    @Option(help: "The directory to write into (created if missing).") var out: String
    @Flag(help: "Also draw the user's cold start curve (fits heads 15 times; LLM calls through the cache).") var coldstart = false

    func run() async throws {
        try await CLI.guarded {
            let backend = try await options.backend()
            var curve: ColdStartReport?
            if coldstart, case .coldStart(let report) = try await backend.result(of: .coldStart(userIDs: [user], sizes: [5, 10, 20, 40], seeds: 3)) {
                curve = report
            }
            guard case .reportWritten(let files) = try await backend.result(of: .exportReport(userID: user, directory: out, coldStart: curve)) else {
                throw ValidationError("unexpected result")
            }
            for file in files { print(file) }
        }
    }
}

/// `hydra heads`: the head inspector's numbers.
struct HeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Every user's heads: fit examples, loss, norms, distances, Δ, and how well each head recovered its user's latent preference.")

    @OptionGroup var options: RunSessionOptions
    @Flag(help: "Print the HeadsReport as JSON (with both maps and every learned preference).") var json = false

    func run() async throws {
        try await CLI.guarded {
            let backend = try await options.backend()
            let start = Date()
            guard case .heads(let report) = try await backend.result(of: .heads) else { throw ValidationError("unexpected result") }
            CLI.note(String(format: "heads measured in %.2f s", Date().timeIntervalSince(start)))
            if json { return try CLI.printJSON(report) }
            var table = TextTable(
                header: ["user", "role", "adapter fit n", "loss", "d global", "Δ", "latent recovered"], rightAligned: [2, 3, 4, 5, 6])
            for row in report.rows {
                let stats = row.adapter
                let recovery = report.preference(of: row.userID)?.latent?.recovery
                table.rows.append([
                    printable(row.userID), row.role.rawValue, stats?.fitExamples.map(String.init) ?? "—",
                    stats?.finalLoss.map { String(format: "%.3f", $0) } ?? "—", stats.map { String(format: "%.2f", $0.distanceToGlobal) } ?? "—",
                    row.delta.map { String(format: "%+.3f", $0) } ?? "—", recovery.map { String(format: "%.2f", $0) } ?? "—",
                ])
            }
            print(table.render())
            if let mean = report.meanRecovery {
                print(String(format: "latent preference recovered: mean %.3f over %d users", mean, report.recoveryUsers))
            }
        }
    }
}

/// `text` without control characters, for a terminal.
private func printable(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && !(0x7f...0x9f).contains($0.value) }))
}

/// `hydra refit`: the workbench's what-if on the command line.
struct RefitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refit",
        abstract: "Fit one user's heads again on an edited history (base frozen) and compare every question before → after.",
        discussion: "The run's saved heads are not changed. LLM calls go through the session's cache; the cost is printed first.")

    @OptionGroup var options: RunSessionOptions
    @Option(help: "The user id.") var user: String
    @Option(help: "Comma-separated ids of history items to leave out.") var exclude: String?
    @Flag(help: "Print the RefitReport as JSON.") var json = false

    func run() async throws {
        try await CLI.guarded {
            let backend = try await options.backend()
            let removed = Set((exclude ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            let edit = HistoryEdit(removed: removed)
            if case .refitPlan(let plan) = try await backend.result(of: .refitPlan(userID: user, edit: edit)) {
                CLI.note("re-fit \(plan.userID) on \(plan.historySize) items: \(plan.pseudoQueries) pseudo-queries, \(plan.llmCalls) LLM calls, \(plan.newLLMCalls) not cached")
            }
            guard case .refit(let report) = try await backend.result(of: .refit(userID: user, edit: edit)) else {
                throw ValidationError("unexpected result")
            }
            if json { return try CLI.printJSON(report) }
            print(String(format: "re-fit of %@ in %.2f s (%d new LLM calls): Δ %@ → %@", printable(user), report.seconds, report.newLLMCalls,
                         report.deltaBefore.map { String(format: "%+.3f", $0) } ?? "–", report.deltaAfter.map { String(format: "%+.3f", $0) } ?? "–"))
            for question in report.questions {
                print(String(format: "%@  metric %.3f → %.3f  pick %@ → %@", printable(question.questionID), question.before.metric, question.after.metric,
                             printable(question.before.pick), printable(question.after.pick)))
            }
        }
    }
}
