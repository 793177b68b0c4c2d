import Foundation
import LaMP

/// Emits LaMP-format JSON for the demo generator: the questions file and the outputs file.
///
/// Kept in this one file so it can later be replaced by the shared LaMP writer. Output is
/// deterministic: keys are written in a fixed order (`id`, `input`, `profile`, `user_id` for a
/// question; `id` then the task's profile fields for an item), one question per line. A user's
/// questions share one profile, so a profile equal to the previous question's is encoded once
/// and its bytes reused.
enum DemoJSON {
    /// A JSON string literal (with quotes) for `text`: `"` and `\` are escaped, control
    /// characters become `\n`, `\t`, … or `\u00XX`, everything else is written as UTF-8.
    static func string(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the JSON string literal for `text` to `out`, working on UTF-8 bytes (bytes of
    /// multi-byte characters are all ≥ 0x80 and pass through unchanged).
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The bytes of a `{split}_questions.json`: a list of `{"id", "input", "profile", "user_id"}`,
    /// each profile item written as `{"id", <fields in order>}`.
    static func questionsFile(_ questions: [Question], fields: [String]) -> Data {
        var out: [UInt8] = []
        var lastProfile: [ProfileItem] = []
        var lastProfileBytes: [UInt8] = []
        out.append(contentsOf: Array("[\n".utf8))
        for (k, question) in questions.enumerated() {
            out.append(contentsOf: Array("{\"id\": ".utf8))
            appendString(question.id, to: &out)
            out.append(contentsOf: Array(", \"input\": ".utf8))
            appendString(question.input, to: &out)
            out.append(contentsOf: Array(", \"profile\": ".utf8))
            if k == 0 || question.profile != lastProfile {
                lastProfile = question.profile
                lastProfileBytes = profileBytes(question.profile, fields: fields)
            }
            out.append(contentsOf: lastProfileBytes)
            if let user = question.userID {
                out.append(contentsOf: Array(", \"user_id\": ".utf8))
                appendString(user, to: &out)
            }
            out.append(contentsOf: Array((k + 1 < questions.count ? "},\n" : "}\n").utf8))
        }
        out.append(contentsOf: Array("]\n".utf8))
        return Data(out)
    }

    /// A profile as a JSON list of items.
    private static func profileBytes(_ profile: [ProfileItem], fields: [String]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (j, item) in profile.enumerated() {
            if j > 0 { out.append(contentsOf: [UInt8(ascii: ","), 0x20]) }
            out.append(contentsOf: Array("{\"id\": ".utf8))
            appendString(item.id, to: &out)
            for field in fields {
                out.append(contentsOf: [UInt8(ascii: ","), 0x20])
                appendString(field, to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                appendString(item[field], to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The bytes of a `{split}_outputs.json`: `{"task": …, "golds": [{"id", "output"}, …]}`.
    static func outputsFile(task: LaMPTask, golds: [Gold]) -> Data {
        var out = Array("{\"task\": ".utf8)
        appendString(task.rawValue, to: &out)
        out.append(contentsOf: Array(", \"golds\": [\n".utf8))
        for (k, gold) in golds.enumerated() {
            out.append(contentsOf: Array("{\"id\": ".utf8))
            appendString(gold.id, to: &out)
            out.append(contentsOf: Array(", \"output\": ".utf8))
            appendString(gold.output, to: &out)
            out.append(contentsOf: Array((k + 1 < golds.count ? "},\n" : "}\n").utf8))
        }
        out.append(contentsOf: Array("]}\n".utf8))
        return Data(out)
    }
}
