import ArgumentParser
import Foundation

/// Prints an error the way every command does: one line on stderr, non-zero exit, no stack trace.
enum CLI {
    static func fail(_ error: Error) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(String(describing: error))\n".utf8))
        return ExitCode.failure
    }

    /// Runs a command body, turning any thrown engine error into a clean failure.
    static func guarded(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            throw fail(error)
        }
    }

    /// Writes a line to stderr (progress and diagnostics never go to stdout, which scripts read).
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// `--llm-timeout` must be a positive, finite number of seconds when given.
    static func validateLLMTimeout(_ seconds: Double?) throws {
        guard let seconds else { return }
        guard seconds.isFinite, seconds > 0 else {
            throw ValidationError("--llm-timeout must be a positive number of seconds, not \(seconds)")
        }
    }

    /// Prints a JSON value with sorted keys on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// A usage problem found while running (not while parsing arguments).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
