import Foundation
import DemoData
import LaMP

/// Errors in a session file, each naming the file and the key.
public enum SessionError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case malformedJSON(file: String, reason: String)
    case unknownKey(file: String, path: String, allowed: [String])
    case invalid(file: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read session file: \(reason)"
        case .malformedJSON(let file, let reason): "\(file): not valid JSON: \(reason)"
        case .unknownKey(let file, let path, let allowed):
            "\(file): unknown key `\(path)` (allowed here: \(allowed.joined(separator: ", ")))"
        case .invalid(let file, let path, let reason): "\(file): `\(path)`: \(reason)"
        }
    }
}

/// Reads and writes `Sessions/*.json`.
public enum SessionFile {
    /// The keys each object of the schema may hold; anything else is a typo worth reporting.
    private static let schema: [String: [String]] = [
        "": ["name", "description", "data", "task", "retrieval", "encoder", "llm", "hydra"],
        "data": ["path", "demo"],
        "data.demo": ["task", "users", "seed", "profile_min", "profile_max", "questions_per_user", "train_fraction"],
        "retrieval": ["retriever", "k", "r"],
        "llm": ["backend", "base_url", "model", "api_key_env", "precision"],
        "hydra": ["n", "seed", "train_users", "eval_users", "adapter_labels", "temperature", "top_p", "raw_answers", "selection"],
    ]

    /// Loads and validates a session file.
    public static func load(_ url: URL) throws -> SessionConfig {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SessionError.unreadable(file: file, reason: error.localizedDescription)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw SessionError.malformedJSON(file: file, reason: (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")
        }
        try checkKeys(object, path: "", file: file)
        let config: SessionConfig
        do { config = try JSONDecoder().decode(SessionConfig.self, from: data) } catch let error as DecodingError {
            throw describe(error, file: file)
        }
        try validate(config, file: file)
        return config
    }

    /// Writes a session file with sorted keys, atomically.
    public static func save(_ config: SessionConfig, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(config).write(to: url, options: .atomic)
    }

    private static func checkKeys(_ object: Any, path: String, file: String) throws {
        guard let dictionary = object as? [String: Any] else {
            if path.isEmpty { throw SessionError.invalid(file: file, path: "(top level)", reason: "expected a JSON object") }
            return
        }
        guard let allowed = schema[path] else { return }
        for key in dictionary.keys.sorted() {
            let child = path.isEmpty ? key : "\(path).\(key)"
            guard allowed.contains(key) else { throw SessionError.unknownKey(file: file, path: child, allowed: allowed) }
            try checkKeys(dictionary[key]!, path: child, file: file)
        }
    }

    private static func describe(_ error: DecodingError, file: String) -> SessionError {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return .invalid(file: file, path: parent.isEmpty ? key.stringValue : "\(parent).\(key.stringValue)",
                            reason: "missing required key")
        case .typeMismatch(let type, let context):
            return .invalid(file: file, path: path(context.codingPath), reason: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .invalid(file: file, path: path(context.codingPath), reason: "expected \(type), found null")
        case .dataCorrupted(let context):
            var reason = context.debugDescription
            if context.codingPath.last?.stringValue == "task" {
                reason = "unknown task; expected one of \(LaMPTask.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return .invalid(file: file, path: path(context.codingPath), reason: reason)
        @unknown default:
            return .invalid(file: file, path: "", reason: "\(error)")
        }
    }

    private static func validate(_ config: SessionConfig, file: String) throws {
        guard ["bm25", "dense"].contains(config.retrieval.retriever) else {
            throw SessionError.invalid(file: file, path: "retrieval.retriever", reason: "expected \"bm25\" or \"dense\"")
        }
        // What the file says alone; the engine checks the settings again once defaults are in.
        if let k = config.retrieval.k, k < 1 {
            throw SessionError.invalid(file: file, path: "retrieval.k", reason: "must be ≥ 1")
        }
        if let r = config.retrieval.r, r < 1 || r > (config.retrieval.k ?? r) {
            throw SessionError.invalid(file: file, path: "retrieval.r", reason: "need 1 ≤ r ≤ k")
        }
        guard ["minilm", "hashing"].contains(config.encoder) else {
            throw SessionError.invalid(file: file, path: "encoder", reason: "expected \"minilm\" or \"hashing\"")
        }
        switch config.llm.backend {
        case "embedded": break
        case "openai":
            guard let base = config.llm.baseURL, URL(string: base)?.scheme != nil else {
                throw SessionError.invalid(file: file, path: "llm.base_url", reason: "an http(s) URL is required for the openai backend")
            }
        default:
            throw SessionError.invalid(file: file, path: "llm.backend", reason: "expected \"embedded\" or \"openai\"")
        }
        if let precision = config.llm.precision {
            guard ["exact", "int8"].contains(precision) else {
                throw SessionError.invalid(file: file, path: "llm.precision", reason: "expected \"exact\" or \"int8\"")
            }
            guard config.llm.backend == "embedded" else {
                throw SessionError.invalid(file: file, path: "llm.precision", reason: "applies to the embedded backend only")
            }
        }
        if let n = config.hydra.n, n < 1 { throw SessionError.invalid(file: file, path: "hydra.n", reason: "must be ≥ 1") }
        if case .demo(let demo) = config.data {
            do { try demo.validate() } catch let error as DemoError {
                if case .invalidSpec(let field, _, let reason) = error {
                    throw SessionError.invalid(file: file, path: "data.demo.\(field)", reason: reason)
                }
                throw SessionError.invalid(file: file, path: "data.demo", reason: error.description)
            }
        }
    }
}
