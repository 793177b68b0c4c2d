import ArgumentParser
import Foundation
import LLM
import WorkbenchAPI

/// Prints an error the way every command does: one line on stderr, non-zero exit, no stack trace.
enum CLI {
    static func fail(_ error: Error) -> ExitCode {
        // errors quote the data (ids, values, file names), which may hold control characters
        FileHandle.standardError.write(Data("error: \(TerminalText.block(String(describing: error)))\n".utf8))
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
        FileHandle.standardError.write(Data((TerminalText.block(line) + "\n").utf8))
    }

    /// Prints human-readable output on stdout with the data's control characters made visible
    /// (`TerminalText`), so a text in the data cannot clear the screen or retitle the window.
    /// JSON output goes through `printJSON`, whose escaping already covers them.
    static func show(_ text: String, terminator: String = "\n") {
        print(TerminalText.block(text), terminator: terminator)
    }

    /// The help of `--precision`, the same for every command that makes the embedded model.
    static let precisionHelp = ArgumentHelp(
        "The embedded model's weight products: int8 (8-bit activations and integer dot products, as llama.cpp; default) or exact (float, what the parity tests check).",
        valueName: "exact|int8")

    /// `--precision`'s value, when given.
    static func parsePrecision(_ text: String?) throws -> ProductPrecision? {
        guard let text else { return nil }
        guard let precision = ProductPrecision(rawValue: text) else {
            throw ValidationError("--precision must be exact or int8, not \"\(text)\"")
        }
        return precision
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
