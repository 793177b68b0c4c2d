import ArgumentParser
import Encoder
import EngineBackend
import Foundation
import Workspace

/// `hydra embed`: sentence embeddings for a JSON Lines file of `{"text": …}`.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with all-MiniLM-L6-v2 (or the weight-free hashing encoder).",
        discussion: """
            Input: JSON Lines, one {"text": "..."} per line. With --json, output is JSON Lines of \
            {"text", "ids", "embedding"} ("ids", the WordPiece ids, only for minilm).
            """)

    @Option(help: "minilm (default) or hashing.") var encoder: String = "minilm"
    @Option(help: "A JSON Lines file of {\"text\": ...}.") var input: String
    @Flag(help: "Print JSON Lines on stdout.") var json = false

    func run() async throws {
        try await CLI.guarded {
            guard let kind = SentenceEncoderKind(rawValue: encoder) else {
                throw ValidationError("--encoder must be minilm or hashing, not \"\(encoder)\"")
            }
            let texts = try JSONLinesTexts.read(URL(fileURLWithPath: input))
            let model = try kind.makeVerifiedEncoder(store: ModelStore(directory: Paths.modelsDirectory()))
            let embeddings = try model.encode(texts)
            let miniLM = model as? MiniLMEncoder
            if json {
                for (text, embedding) in zip(texts, embeddings) {
                    var object: [String: Any] = ["text": text, "embedding": embedding.map(Double.init)]
                    if let miniLM { object["ids"] = miniLM.tokenize(text).map(Int.init) }
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                    print(String(decoding: data, as: UTF8.self))
                }
                return
            }
            var table = TextTable(header: ["#", "text", "tokens", "embedding (first 4 of \(model.dimension))"], rightAligned: [0, 2])
            for (index, (text, embedding)) in zip(texts, embeddings).enumerated() {
                let snippet = text.count > 48 ? String(text.prefix(47)) + "…" : text
                let tokens = miniLM.map { "\($0.tokenize(text).count)" } ?? "-"
                table.rows.append(["\(index + 1)", snippet, tokens,
                                   embedding.prefix(4).map { String(format: "%+.4f", $0) }.joined(separator: " ")])
            }
            CLI.show("encoder: \(model.id)\n" + table.render())
        }
    }
}

/// Reads the `text` field of every line of a JSON Lines file, with errors naming the line.
enum JSONLinesTexts {
    static func read(_ url: URL) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CLIError("\(url.path): no such file")
        }
        guard !isDirectory.boolValue else {
            throw CLIError("\(url.path): is a folder, expected a JSON Lines file of {\"text\": ...}")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CLIError("\(url.path): cannot read: \(error.localizedDescription)")
        }
        // Invalid UTF-8 becomes U+FFFD (and the tokenizer drops it) rather than failing the file.
        return try parse(WordPieceTokenizer.decodeText(data), file: url.path)
    }

    /// The texts of JSON Lines `text`; `file` names it in errors. Lines may end in LF or CRLF.
    static func parse(_ text: String, file: String) throws -> [String] {
        var texts: [String] = []
        // "\r\n" is one Character in Swift, so splitting on the Character "\n" would leave a
        // CRLF file in one piece; split on the scalars instead
        for (number, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map({ String(String.UnicodeScalarView($0)) }).enumerated()
        {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) else {
                throw CLIError("\(file):\(number + 1): not valid JSON")
            }
            guard let dictionary = object as? [String: Any], let value = dictionary["text"] else {
                throw CLIError("\(file):\(number + 1): expected an object with a \"text\" field")
            }
            guard let string = value as? String else {
                throw CLIError("\(file):\(number + 1): \"text\" must be a string")
            }
            texts.append(string)
        }
        return texts
    }
}
