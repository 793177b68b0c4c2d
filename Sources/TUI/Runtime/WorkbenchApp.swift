import Foundation
import WorkbenchAPI

/// The workbench main loop: read input with a short timeout, drain the job channel once, update,
/// and draw at most one frame per pass.
public enum WorkbenchApp {
    /// Input poll timeout: the longest a finished job waits to be noticed.
    static let frameMilliseconds = 16

    /// Runs the workbench until the user quits. The loop runs on its own thread so it never
    /// blocks the Swift concurrency pool the engine's jobs use.
    public static func run(
        terminal: any Terminal, backend: any WorkbenchBackend, theme: Theme, themes: [Theme] = [],
        statusMessage: String? = nil, sessionName: String = "session"
    ) async throws {
        let box = UncheckedBox<any Terminal>(terminal)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try runBlocking(
                        terminal: box.value, backend: backend, theme: theme, themes: themes, statusMessage: statusMessage,
                        sessionName: sessionName)
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
    /// - Parameter writeFile: where `:save-screen` and `:export-loss` write (tests replace it).
    public static func runBlocking(
        terminal: any Terminal, backend: any WorkbenchBackend, theme: Theme, themes: [Theme] = [],
        statusMessage: String? = nil, sessionName: String = "session",
        writeFile: (String, String) throws -> Void = { path, text in try text.write(toFile: path, atomically: true, encoding: .utf8) }
    ) throws {
        var allThemes = themes
        if !allThemes.contains(where: { $0.name == theme.name }) { allThemes.insert(theme, at: 0) }
        let runner = JobRunner(backend: backend)
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
                case .start(let id, let job): runner.start(id, job)
                case .cancel(let id): runner.cancel(id)
                case .applyTheme(let theme): terminal.apply(theme: theme)
                case .write(let path, let contents):
                    var failure: String?
                    do { try writeFile(path, contents) } catch { failure = describe(error) }
                    process(.wrote(path: path, error: failure))
                case .copyToClipboard(let text): terminal.copyToClipboard(text)
                case .quit: break
                }
            }
        }
        func process(_ msg: Msg) {
            let commands = update(&model, msg)
            dirty = true
            perform(commands)
        }

        perform(start(&model))
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
            let now = MonotonicClock.seconds()
            for (id, batch) in runner.drain() where !model.quitting { process(.job(id, batch, at: now)) }
            if !model.jobs.isEmpty, now - lastTick >= 0.1 {
                lastTick = now
                process(.tick(now))
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
