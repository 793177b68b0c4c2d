import Foundation
import XCTest

/// The JSON shapes of the OpenAI API's completion responses, recorded from its API reference
/// (the example objects of "The chat completion object", "The chat completion chunk object" and
/// "The completion object"), so tests can check that a plain client sees exactly those keys with
/// those types. `system_fingerprint` is optional there and not sent by this server.
indirect enum JSONShape: Sendable {
    case string
    case integer
    case null
    /// One of the API's fixed string values (e.g. `finish_reason`).
    case oneOf(Set<String>)
    case object([String: JSONShape])
    case array(JSONShape)
    case either(JSONShape, JSONShape)

    static let finishReason = JSONShape.oneOf(["stop", "length"])
    static let usage = JSONShape.object([
        "prompt_tokens": .integer, "completion_tokens": .integer, "total_tokens": .integer,
    ])

    /// `{"id": "chatcmpl-123", "object": "chat.completion", "created": 1677652288, "model": …,
    /// "choices": [{"index": 0, "message": {"role": "assistant", "content": "…"}, "logprobs": null,
    /// "finish_reason": "stop"}], "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21}}`
    static let chatCompletion = JSONShape.object([
        "id": .string, "object": .oneOf(["chat.completion"]), "created": .integer, "model": .string,
        "choices": .array(.object([
            "index": .integer, "message": .object(["role": .oneOf(["assistant"]), "content": .string]),
            "logprobs": .null, "finish_reason": finishReason,
        ])),
        "usage": usage,
    ])

    /// `{"id": "cmpl-…", "object": "text_completion", "created": …, "model": …, "choices": [{"text": "…",
    /// "index": 0, "logprobs": null, "finish_reason": "length"}], "usage": {…}}`
    static let textCompletion = JSONShape.object([
        "id": .string, "object": .oneOf(["text_completion"]), "created": .integer, "model": .string,
        "choices": .array(.object([
            "text": .string, "index": .integer, "logprobs": .null, "finish_reason": finishReason,
        ])),
        "usage": usage,
    ])

    /// `{"id": "chatcmpl-123", "object": "chat.completion.chunk", "created": 1694268190, "model": …,
    /// "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null,
    /// "finish_reason": null}]}`; with `include_usage`, `"usage": null` on every chunk and a last
    /// chunk with `"choices": []` and the usage.
    static func chatChunk(includeUsage: Bool) -> JSONShape {
        var fields: [String: JSONShape] = [
            "id": .string, "object": .oneOf(["chat.completion.chunk"]), "created": .integer, "model": .string,
            "choices": .array(.object([
                "index": .integer,
                "delta": .either(.object(["role": .oneOf(["assistant"]), "content": .string]),
                                 .either(.object(["content": .string]), .object([:]))),
                "logprobs": .null, "finish_reason": .either(.null, finishReason),
            ])),
        ]
        if includeUsage { fields["usage"] = .either(.null, usage) }
        return .object(fields)
    }

    /// The legacy completions stream: `text_completion` objects carrying `text` pieces.
    static func textChunk(includeUsage: Bool) -> JSONShape {
        var fields: [String: JSONShape] = [
            "id": .string, "object": .oneOf(["text_completion"]), "created": .integer, "model": .string,
            "choices": .array(.object([
                "text": .string, "index": .integer, "logprobs": .null, "finish_reason": .either(.null, finishReason),
            ])),
        ]
        if includeUsage { fields["usage"] = .either(.null, usage) }
        return .object(fields)
    }

    /// Why `value` does not have this shape, or nil when it does (objects must have exactly the keys).
    func mismatch(_ value: Any, at path: String = "$") -> String? {
        switch self {
        case .string:
            return value is String ? nil : "\(path) should be a string, is \(value)"
        case .integer:
            guard let number = value as? NSNumber, Double(number.intValue) == number.doubleValue,
                  String(cString: number.objCType) != "c"
            else { return "\(path) should be an integer, is \(value)" }
            return nil
        case .null:
            return value is NSNull ? nil : "\(path) should be null, is \(value)"
        case .oneOf(let allowed):
            guard let text = value as? String, allowed.contains(text) else { return "\(path) should be one of \(allowed.sorted()), is \(value)" }
            return nil
        case .either(let first, let second):
            guard let one = first.mismatch(value, at: path), let other = second.mismatch(value, at: path) else { return nil }
            return "\(one); or \(other)"
        case .array(let element):
            guard let list = value as? [Any] else { return "\(path) should be an array, is \(value)" }
            for (index, item) in list.enumerated() {
                if let problem = element.mismatch(item, at: "\(path)[\(index)]") { return problem }
            }
            return nil
        case .object(let fields):
            guard let object = value as? [String: Any] else { return "\(path) should be an object, is \(value)" }
            guard Set(object.keys) == Set(fields.keys) else {
                return "\(path) has keys \(object.keys.sorted()), the API's are \(fields.keys.sorted())"
            }
            for (key, shape) in fields.sorted(by: { $0.key < $1.key }) {
                if let problem = shape.mismatch(object[key]!, at: "\(path).\(key)") { return problem }
            }
            return nil
        }
    }
}

func assertShape(_ value: Any, _ shape: JSONShape, file: StaticString = #filePath, line: UInt = #line) {
    if let problem = shape.mismatch(value) { XCTFail(problem, file: file, line: line) }
}
