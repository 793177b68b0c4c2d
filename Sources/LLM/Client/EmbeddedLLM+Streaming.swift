import LLMInterface

extension EmbeddedLLM: StreamingLLMClient, TokenCountingLLMClient {
    public func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int,
                         onText: @escaping @Sendable (Int, String) -> Void) async throws -> [Completion] {
        try await samples(prompt, parameters: parameters, n: n, onText: onText).map(Self.completion)
    }

    public func promptTokenCount(_ prompt: LLMPrompt) -> Int {
        tokens(of: prompt).count
    }

    public func tokenCount(of text: String) -> Int {
        tokenizer.encode(text, parseSpecial: false).count
    }
}

extension FinishReason {
    /// The OpenAI API's name for it: `stop` (an end-of-generation token or a stop string) or `length`.
    public var apiValue: String {
        switch self {
        case .endOfGeneration, .stop: return "stop"
        case .length: return "length"
        }
    }
}

/// Turns a sample's token bytes into text pieces made of whole characters only: bytes of a
/// character split across tokens wait until the character is complete.
struct UTF8PieceDecoder {
    private var pending: [UInt8] = []

    /// The new whole characters after `bytes` arrive, or `nil` when there are none yet.
    mutating func append(_ bytes: [UInt8]) -> String? {
        pending += bytes
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return nil }
        let piece = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return piece
    }

    /// How many leading bytes end on a character boundary: everything but a trailing sequence
    /// whose lead byte announces more bytes than have arrived.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        // a sequence is at most 4 bytes, so only the last 3 can start an unfinished one
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
            let expected = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return expected > back ? bytes.count - back : bytes.count
        }
        return bytes.count
    }
}
