/// A backend that reports text while it generates, so a server can stream it to its clients
/// (`"stream": true`) instead of sending everything at the end.
public protocol StreamingLLMClient: LLMClient {
    /// Samples `n` completions exactly as `generate(_:parameters:n:)` does, calling
    /// `onText(sample, piece)` as each sample's text is decoded.
    ///
    /// A sample's pieces, joined, are its text so far *before* stop strings are cut and only in
    /// whole characters, so their tail may still be removed by a stop string; the returned
    /// completions are the final texts. `onText` is called from the generating thread and must
    /// return quickly.
    func generate(_ prompt: LLMPrompt, parameters: SamplingParameters, n: Int,
                  onText: @escaping @Sendable (_ sample: Int, _ piece: String) -> Void) async throws -> [Completion]
}

/// A backend that counts tokens as its model sees them, so a server can report `usage`.
public protocol TokenCountingLLMClient: LLMClient {
    /// Tokens of `prompt` as the backend sends it to the model (chat template included).
    func promptTokenCount(_ prompt: LLMPrompt) -> Int
    /// Tokens of a generated text.
    func tokenCount(of text: String) -> Int
}
