import Foundation

/// Runs ``Command``s as background tasks and collects the messages they report.
///
/// The UI loop calls ``start(_:)`` and ``drain()``; the tasks call ``post(_:)`` from any thread.
final class CommandRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var inbox: [Msg] = []
    private var tasks: [Int: Task<Void, Never>] = [:]
    private let backend: any WorkbenchBackend

    init(backend: any WorkbenchBackend) {
        self.backend = backend
    }

    /// Queues a message for the UI loop.
    func post(_ msg: Msg) {
        lock.lock()
        inbox.append(msg)
        lock.unlock()
    }

    /// Takes every queued message, keeping only the latest progress report per task.
    func drain() -> [Msg] {
        lock.lock()
        let messages = inbox
        inbox = []
        lock.unlock()
        var lastProgress: [Int: Int] = [:]
        for (i, msg) in messages.enumerated() {
            if case .loadProgress(let task, _, _) = msg { lastProgress[task] = i }
        }
        return messages.enumerated().compactMap { i, msg in
            if case .loadProgress(let task, _, _) = msg, lastProgress[task] != i { return nil }
            return msg
        }
    }

    /// Starts engine work for `command` (theme and quit commands are the loop's business).
    func start(_ command: Command) {
        let backend = self.backend
        switch command {
        case .loadSession(let id):
            launch(id) { runner in
                do {
                    let data = try await backend.loadSession { fraction, label in
                        runner.post(.loadProgress(task: id, fraction: fraction, label: label))
                    }
                    try Task.checkCancellation()
                    runner.post(.sessionLoaded(task: id, data: data))
                } catch {
                    runner.post(Task.isCancelled ? .cancelled(task: id) : .loadFailed(task: id, message: describe(error)))
                }
            }
        case .retrieve(let id, let user, let question, let k):
            launch(id) { runner in
                do {
                    let items = try await backend.retrieve(userIndex: user, questionIndex: question, k: k)
                    try Task.checkCancellation()
                    runner.post(.retrieved(task: id, userIndex: user, questionIndex: question, items: items))
                } catch {
                    runner.post(Task.isCancelled ? .cancelled(task: id) : .retrieveFailed(task: id, message: describe(error)))
                }
            }
        case .cancel(let id):
            lock.lock()
            let task = tasks.removeValue(forKey: id)
            lock.unlock()
            task?.cancel()
        case .applyTheme, .quit:
            break
        }
    }

    /// Cancels everything still running.
    func cancelAll() {
        lock.lock()
        let all = tasks.values
        tasks = [:]
        lock.unlock()
        for task in all { task.cancel() }
    }

    private func launch(_ id: Int, _ work: @escaping @Sendable (CommandRunner) async -> Void) {
        lock.lock()
        defer { lock.unlock() }
        tasks[id] = Task.detached { [self] in
            await work(self)
            self.finished(id)
        }
    }

    private func finished(_ id: Int) {
        lock.lock()
        tasks[id] = nil
        lock.unlock()
    }
}

func describe(_ error: any Error) -> String {
    if let error = error as? LocalizedError, let text = error.errorDescription { return text }
    return String(describing: error)
}

/// The workbench main loop: read input with a short timeout, drain finished work, update,
/// and draw at most one frame per pass.
public enum WorkbenchApp {
    /// Input poll timeout: the longest a finished command waits to be noticed.
    static let frameMilliseconds = 16

    /// Runs the workbench until the user quits. The loop runs on its own thread so it never
    /// blocks the Swift concurrency pool the engine tasks use.
    /// - Parameters:
    ///   - terminal: where to draw; entered on start, always left on return.
    ///   - backend: the engine.
    ///   - theme: the theme to start with.
    ///   - themes: the themes the switch key cycles through (`theme` is added if missing).
    ///   - statusMessage: shown in the status bar at start (e.g. a theme file's problem).
    ///   - sessionName: shown in the status bar until the session's own title arrives.
    public static func run(
        terminal: any Terminal, backend: any WorkbenchBackend, theme: Theme,
        themes: [Theme] = [], statusMessage: String? = nil, sessionName: String = "session"
    ) async throws {
        let box = UncheckedBox<any Terminal>(terminal)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try runBlocking(
                        terminal: box.value, backend: backend, theme: theme, themes: themes,
                        statusMessage: statusMessage, sessionName: sessionName)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The main loop on the calling thread (tests and the benchmark use it directly).
    public static func runBlocking(
        terminal: any Terminal, backend: any WorkbenchBackend, theme: Theme,
        themes: [Theme] = [], statusMessage: String? = nil, sessionName: String = "session"
    ) throws {
        var allThemes = themes
        if !allThemes.contains(where: { $0.name == theme.name }) { allThemes.insert(theme, at: 0) }
        let runner = CommandRunner(backend: backend)
        try terminal.enter()
        defer {
            runner.cancelAll()
            terminal.leave()
        }
        var model = AppModel(size: terminal.size, themes: allThemes, statusMessage: statusMessage)
        model.themeIndex = allThemes.firstIndex(where: { $0.name == theme.name }) ?? 0
        model.sessionName = sessionName
        var canvas = Canvas(size: model.size)
        var dirty = true
        var lastTick = MonotonicClock.seconds()

        func perform(_ commands: [Command]) {
            for command in commands {
                switch command {
                case .applyTheme(let theme): terminal.apply(theme: theme)
                case .quit: break
                default: runner.start(command)
                }
            }
        }
        func process(_ msg: Msg) {
            let (next, commands) = update(model, msg)
            model = next
            dirty = true
            perform(commands)
        }

        let (started, commands) = start(model)
        model = started
        perform(commands)
        while !model.quitting {
            if dirty {
                view(model, into: &canvas)
                terminal.present(canvas, cursor: cursorPosition(model))
                dirty = false
            }
            if let event = terminal.readEvent(timeoutMilliseconds: frameMilliseconds) {
                process(message(for: event))
                // take whatever else is already waiting (pasted text, key repeat) before drawing
                var extra = 0
                while extra < 64, !model.quitting, let more = terminal.readEvent(timeoutMilliseconds: 0) {
                    process(message(for: more))
                    extra += 1
                }
            }
            for msg in runner.drain() where !model.quitting { process(msg) }
            let now = MonotonicClock.seconds()
            if !model.running.isEmpty, now - lastTick >= 0.1 {
                lastTick = now
                process(.tick)
            }
        }
    }

    static func message(for event: InputEvent) -> Msg {
        switch event {
        case .key(let key): .key(key)
        case .mouse(let mouse): .mouse(mouse)
        case .resize(let size): .resize(size)
        }
    }
}

/// Carries a non-Sendable value to the loop thread, which is then its only user.
private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
