import Foundation
import HydraEngine
import SessionStore

extension RunSettings {
    /// The settings of a kept run: `RunSettings` JSON, or a bare `HydraConfig` for the run a store
    /// kept before runs were keyed by their settings (encoder and LLM then unknown).
    public static func decode(storedJSON json: String) -> RunSettings? {
        let data = Data(json.utf8)
        if let settings = try? JSONDecoder().decode(RunSettings.self, from: data) { return settings }
        guard let config = try? JSONDecoder().decode(HydraConfig.self, from: data) else { return nil }
        return RunSettings(config: config, encoder: "?", llm: "?")
    }

    /// One line for a run list: the settings people change between runs.
    public var summary: String {
        let c = config
        var parts = [
            c.task.rawValue, "k=\(c.retrieval.k)", "r=\(c.retrieval.r)", "n=\(c.sampling.n)", "seed=\(c.sampling.seed)",
            "train=\(c.trainUsers.map(String.init) ?? "all")", "eval=\(c.evalUsers.map(String.init) ?? "all")",
        ]
        if c.methods.count < HydraMethod.allCases.count { parts.append("methods=" + c.methods.map(\.rawValue).joined(separator: ",")) }
        parts.append("encoder=\(encoder)")
        parts.append("llm=\(llm)")
        return parts.joined(separator: " ")
    }

    /// One line per run saying what sets it apart: `summary` (the settings people change most),
    /// then every other setting whose value differs between the runs, as `path=value` (say
    /// `config.training.baseWidths=[32]`). Nil settings (unreadable) give "(settings unreadable)".
    public static func distinguishingLines(_ runs: [RunSettings?]) -> [String] {
        let flat = runs.map { $0.map(flatten) }
        let keys = Set(flat.compactMap { $0 }.flatMap(\.keys))
        let shown: Set<String> = [
            "config.task", "config.retrieval.k", "config.retrieval.r", "config.sampling.n", "config.sampling.seed",
            "config.trainUsers", "config.evalUsers", "config.methods", "encoder", "llm",
        ]
        let differing = keys.subtracting(shown).filter { key in
            Set(flat.compactMap { $0 }.map { $0[key] ?? "-" }).count > 1
        }.sorted()
        return zip(runs, flat).map { settings, values in
            guard let settings, let values else { return "(settings unreadable)" }
            let extra = differing.map { "\($0.replacingOccurrences(of: "config.", with: ""))=\(values[$0] ?? "-")" }
            return ([settings.summary] + extra).joined(separator: " ")
        }
    }

    /// Every leaf of the settings' JSON by its dotted path (arrays as JSON text).
    private static func flatten(_ settings: RunSettings) -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(settings), let object = try? JSONSerialization.jsonObject(with: data) else { return [:] }
        var out: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary { walk(child, path.isEmpty ? key : path + "." + key) }
            } else if let array = value as? [Any], let text = try? JSONSerialization.data(withJSONObject: array) {
                out[path] = String(decoding: text, as: UTF8.self)
            } else {
                out[path] = "\(value)"
            }
        }
        walk(object, "")
        return out
    }
}
