/// How BM25 turns a text into tokens.
///
/// The built-in cases reproduce Python exactly, byte for byte: `.whitespace` is `text.split()`
/// (LaMP's and HYDRA's tokenizer: no lower-casing, no punctuation handling) and
/// `.lowercasedWhitespace` is `text.lower().split()` (the convention of the reference file
/// `bm25_okapi_scores.json`). Tokens are compared as UTF-8 byte strings, as Python compares code
/// points, never by Swift's canonical equivalence (`"é"` and `"e\u{301}"` are different tokens).
public enum BM25Tokenizer: Sendable {
    /// Python `str.split()`: splits on runs of Unicode whitespace (`str.isspace`), drops empties.
    case whitespace
    /// Python `str.lower().split()`: as `.whitespace`, each token lower-cased (full Unicode mapping).
    case lowercasedWhitespace
    /// Any other tokenizer.
    case custom(@Sendable (String) -> [String])

    /// The tokens of `text`.
    ///
    /// - Parameter text: Raw text.
    /// - Returns: The tokens in order, duplicates kept.
    public func tokens(_ text: String) -> [String] {
        var out: [String] = []
        forEachToken(in: text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    /// Calls `body` with the UTF-8 bytes of each token of `text`, in order, without building
    /// strings for the built-in cases (the query hot path).
    func forEachToken(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch self {
        case .whitespace:
            var text = text
            text.withUTF8 { bytes in splitOnWhitespace(bytes, body) }
        case .lowercasedWhitespace:
            var text = text
            var scratch = [UInt8](repeating: 0, count: 64)
            text.withUTF8 { bytes in
                splitOnWhitespace(bytes) { token in lowercase(token, scratch: &scratch, body) }
            }
        case .custom(let split):
            for var token in split(text) {
                token.withUTF8 { body($0) }
            }
        }
    }
}

// MARK: - Python str.split() and str.lower() on UTF-8 bytes

/// Calls `body` with each maximal run of non-whitespace bytes of `bytes`.
private func splitOnWhitespace(
    _ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void
) {
    let n = bytes.count
    var i = 0
    var start = -1
    while i < n {
        let space = whitespaceLength(bytes, at: i)
        if space > 0 {
            if start >= 0 {
                body(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = -1
            }
            i += space
        } else {
            if start < 0 { start = i }
            i += 1
        }
    }
    if start >= 0 { body(UnsafeBufferPointer(rebasing: bytes[start..<n])) }
}

/// The byte length of the Python whitespace character starting at `i`, or 0 if there is none.
///
/// Python's `str.isspace()` set: U+0009-000D, U+001C-001F, U+0020, U+0085, U+00A0, U+1680,
/// U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000.
@inline(__always)
private func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let c = bytes[i]
    if c < 0x80 {
        return (c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0
    }
    let n = bytes.count
    switch c {
    case 0xC2:
        if i + 1 < n, bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 { return 2 }
    case 0xE1:
        if i + 2 < n, bytes[i + 1] == 0x9A, bytes[i + 2] == 0x80 { return 3 }
    case 0xE2:
        guard i + 2 < n else { return 0 }
        let (c1, c2) = (bytes[i + 1], bytes[i + 2])
        if c1 == 0x80, (c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF {
            return 3
        }
        if c1 == 0x81, c2 == 0x9F { return 3 }
    case 0xE3:
        if i + 2 < n, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { return 3 }
    default:
        break
    }
    return 0
}

/// Lower-cases one token: ASCII in place in `scratch`, anything else with `pythonLowercased`.
private func lowercase(
    _ token: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
) {
    var ascii = true
    for c in token where c >= 0x80 {
        ascii = false
        break
    }
    if ascii {
        if scratch.count < token.count { scratch = [UInt8](repeating: 0, count: token.count) }
        scratch.withUnsafeMutableBufferPointer { out in
            for (j, c) in token.enumerated() {
                out[j] = (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
            }
            body(UnsafeBufferPointer(rebasing: out[0..<token.count]))
        }
    } else {
        var lowered = pythonLowercased(String(decoding: token, as: UTF8.self))
        lowered.withUTF8 { body($0) }
    }
}

/// Python's `str.lower()`: each scalar's full lower-case mapping (`İ` → `i̇`), and capital sigma
/// as final `ς` in the Final_Sigma context (after a cased letter, not before one, skipping
/// case-ignorable characters), which Swift's `lowercased()` does not apply.
func pythonLowercased(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    for (i, s) in scalars.enumerated() {
        guard s.value == 0x3A3 else {
            out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            continue
        }
        var j = i - 1
        while j >= 0 && scalars[j].properties.isCaseIgnorable { j -= 1 }
        var final = j >= 0 && scalars[j].properties.isCased
        if final {
            var k = i + 1
            while k < scalars.count && scalars[k].properties.isCaseIgnorable { k += 1 }
            final = k == scalars.count || !scalars[k].properties.isCased
        }
        out.append(final ? "\u{3C2}" : "\u{3C3}")
    }
    return String(out)
}
