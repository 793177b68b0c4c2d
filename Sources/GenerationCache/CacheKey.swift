import Basics
import LLMInterface

/// The exact identity of one LLM call, as a canonical string plus its FNV-1a 64 hash.
///
/// The string lists, in a fixed order, the call kind, backend, model, prompt (chat messages in
/// order as `role`/`content` pairs, or the raw text), every sampling parameter, seed and `n` (for
/// `generate`) or the options (for `choose`). Strings are written as JSON string literals and
/// numbers with Swift's shortest round-trip formatting, so equal calls give equal strings on every
/// run. The hash only narrows the lookup; rows are matched on the full string.
public struct CacheKey: Sendable, Hashable {
    /// The canonical description of the call.
    public let canonical: String

    /// FNV-1a 64 of `canonical`'s UTF-8 bytes.
    public var hash: UInt64 { Self.fnv1a64(canonical) }

    /// The key of a `generate` call.
    public static func generate(backend: String, model: String, prompt: LLMPrompt,
                                parameters: SamplingParameters, n: Int) -> CacheKey {
        let p = parameters
        let fields = [
            "kind=generate", "backend=" + quote(backend), "model=" + quote(model), "prompt=" + describe(prompt),
            "temperature=\(p.temperature)", "top_p=\(p.topP)", "top_k=\(p.topK)", "max_tokens=\(p.maxTokens)",
            "stop=[" + p.stop.map(quote).joined(separator: ",") + "]", "seed=\(p.seed)", "n=\(n)",
        ]
        return CacheKey(canonical: "v1;" + fields.joined(separator: ";"))
    }

    /// The key of a `choose` call.
    public static func choose(backend: String, model: String, prompt: LLMPrompt, options: [String]) -> CacheKey {
        let fields = [
            "kind=choose", "backend=" + quote(backend), "model=" + quote(model), "prompt=" + describe(prompt),
            "options=[" + options.map(quote).joined(separator: ",") + "]",
        ]
        return CacheKey(canonical: "v1;" + fields.joined(separator: ";"))
    }

    private static func describe(_ prompt: LLMPrompt) -> String {
        switch prompt {
        case .raw(let text):
            return "raw(" + quote(text) + ")"
        case .chat(let messages):
            return "chat[" + messages.map { "{" + quote($0.role) + ":" + quote($0.content) + "}" }.joined(separator: ",") + "]"
        }
    }

    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// FNV-1a, 64-bit, of `text`'s UTF-8 (`FNV1a64`): the stored keys of existing caches.
    public static func fnv1a64(_ text: String) -> UInt64 { FNV1a64.hash(text) }
}
