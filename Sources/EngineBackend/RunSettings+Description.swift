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
}
