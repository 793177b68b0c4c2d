import Foundation
import LLM
import LLMInterface

/// Measures the embedded runtime on a GGUF model: prompt processing of a 200-token prompt (and
/// its weight products alone, the bound of any prompt pass with these kernels),
/// single-stream decoding, 8 samples × 32 tokens from one prompt, resident memory, and tokenizing
/// 1 MB of one repeated character.
/// - Parameters:
///   - modelPath: The SmolLM2 GGUF file.
///   - precision: How the weight products are computed (`precision.kernelPath` names the code).
/// - Returns: `prefill_tokens_per_s`, `products_only_tokens_per_s`, `products_multiply_adds_per_s`,
///   `decode_products_only_tokens_per_s` (one row's products: the bound of decoding),
///   `decode_tokens_per_s`, `eight_samples_s`, `rss_mb`,
///   `tokenize_1mb_repeated_ms`.
public func runLLMBenchmark(modelPath: URL, precision: ProductPrecision = .standard) throws -> [String: Double] {
    let gguf = try GGUFFile(url: modelPath)
    let model = try LlamaModel(gguf: gguf, precision: precision)
    let tokenizer = try BPETokenizer(gguf: gguf)
    let generator = Generator(model: model, tokenizer: tokenizer)

    // a 200-token prompt built from varied English text
    let sentence = "The committee reviewed the quarterly report on river water quality, noting 14 sites "
        + "with improved oxygen levels and several where runoff from farms remains a concern. "
    var prompt: [Int] = []
    while prompt.count < 200 { prompt += tokenizer.encode(sentence) }
    prompt = Array(prompt.prefix(200))

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    _ = try generator.prefill(Array(prompt.prefix(16)), extra: 0)  // warm-up: page in the weights
    var prefillTime = Double.infinity
    for _ in 0..<3 { prefillTime = min(prefillTime, try seconds { _ = try generator.prefill(prompt, extra: 0) }) }

    // the weight products of the same prompt pass and nothing else (on the activations the
    // prefill left): the rate no prompt pass can beat with these kernels here
    let productRows = min(prompt.count, generator.state.maxRows)
    var productsTime = Double.infinity
    for _ in 0..<3 { productsTime = min(productsTime, seconds { model.runPromptProducts(rows: productRows, state: generator.state) }) }
    // and for one row, as a decoding step: every weight read once for one token, the rate no
    // single-stream decode can beat (memory-bound here)
    var rowTime = Double.infinity
    for _ in 0..<20 { rowTime = min(rowTime, seconds { model.runPromptProducts(rows: 1, state: generator.state) }) }

    // single stream: 64 greedy tokens after a short prompt; time only the decode steps
    let short = Array(prompt.prefix(20))
    let decodeTokens = 64
    var decodeTime = Double.infinity
    for _ in 0..<2 {
        var (cache, logits) = try generator.prefill(short, extra: decodeTokens)
        var caches = [cache]
        decodeTime = min(decodeTime, try seconds {
            for _ in 0..<decodeTokens {
                let token = argmax(logits)
                logits = try model.forward(tokens: [token], streams: [0], caches: &caches, state: generator.state,
                                           logitRows: [0])[0]
            }
        })
        cache = caches[0]
    }

    // 8 samples × 32 tokens from one chat prompt (prompt pass included); a story request rarely
    // ends before 32 tokens, and the count of generated tokens is checked
    let chat = ChatTemplate.format([.user("Write a long story about a lighthouse keeper and the sea.")])
    let chatTokens = tokenizer.encode(chat, parseSpecial: true)
    let parameters = SamplingParameters(temperature: 0.8, topP: 0.95, topK: 40, maxTokens: 32, seed: 7)
    var eightTime = Double.infinity
    for _ in 0..<2 {
        var generated = 0
        let time = try seconds {
            generated = try generator.generate(promptTokens: chatTokens, parameters: parameters, n: 8)
                .reduce(0) { $0 + $1.tokens.count }
        }
        // scale a run cut short by end-of-generation tokens to the full 8 × 32
        eightTime = min(eightTime, time * 256 / Double(max(generated, 1)))
    }

    let rss = residentMegabytes()

    // one 1 MB pre-token (measured after rss_mb, which it would inflate): BPE merges must stay
    // near-linear; rescanning all pairs took 56 s for 20,000 × "a"
    let repeated = String(repeating: "a", count: 1 << 20)
    let tokenizeTime = seconds { _ = tokenizer.encode(repeated) }

    return [
        "prefill_tokens_per_s": Double(prompt.count) / prefillTime,
        "products_only_tokens_per_s": Double(productRows) / productsTime,
        "products_multiply_adds_per_s": Double(model.promptMultiplyAdds(rows: productRows)) / productsTime,
        "decode_products_only_tokens_per_s": 1 / rowTime,
        "decode_tokens_per_s": Double(decodeTokens) / decodeTime,
        "eight_samples_s": eightTime,
        "rss_mb": rss,
        "tokenize_1mb_repeated_ms": tokenizeTime * 1000,
    ]
}

