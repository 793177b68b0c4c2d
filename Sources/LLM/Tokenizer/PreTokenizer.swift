/// Splits text into words before BPE, by hand instead of with a regex engine.
///
/// SmolLM's GGUF names its pre-tokenizer `smollm`; llama.cpp (llama-vocab.cpp) applies two
/// patterns in turn, each splitting the pieces of the previous one:
/// 1. `\p{N}`: every number character becomes its own piece;
/// 2. GPT-2's `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
/// Text between matches is kept as a piece, so no input is dropped.
public struct PreTokenizer: Sendable {
    /// Whether step 1 (one piece per digit) runs; true for `smollm`, false for plain `gpt2`.
    public let splitDigits: Bool

    /// Builds the pre-tokenizer named by `tokenizer.ggml.pre`.
    public init(name: String) throws {
        switch name {
        case "smollm": splitDigits = true
        case "gpt2", "default": splitDigits = false
        default: throw TokenizerError.unsupportedPreTokenizer(name)
        }
    }

    /// The pieces of `text`, in order; their concatenation is `text`.
    public func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [String] = []
        var start = 0
        func emitGPT2(_ range: Range<Int>) { gpt2Split(scalars[range], into: &pieces) }
        if splitDigits {
            for i in scalars.indices where Self.isNumber(scalars[i]) {
                if start < i { emitGPT2(start..<i) }
                emitGPT2(i..<(i + 1))
                start = i + 1
            }
        }
        if start < scalars.count { emitGPT2(start..<scalars.count) }
        return pieces
    }

    /// GPT-2's pattern over one fragment (a port of llama.cpp's `unicode_regex_split_custom_gpt2`),
    /// appending the pieces to `pieces` (with one fragment per digit, a fresh array per call costs
    /// more than the splitting).
    func gpt2Split(_ s: ArraySlice<Unicode.Scalar>, into pieces: inout [String]) {
        let end = s.endIndex
        var pos = s.startIndex
        func at(_ i: Int) -> Unicode.Scalar? { i < end ? s[i] : nil }
        func take(_ count: Int) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[pos..<(pos + count)])
            pieces.append(String(view))
            pos += count
        }
        while pos < end {
            let c = s[pos]
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == "'", let n = at(pos + 1) {
                if n == "s" || n == "t" || n == "m" || n == "d" { take(2); continue }
                if let n2 = at(pos + 2), (n == "r" && n2 == "e") || (n == "v" && n2 == "e") || (n == "l" && n2 == "l") {
                    take(3); continue
                }
            }
            // ?\p{L}+ | ?\p{N}+ | ?[^\s\p{L}\p{N}]+, each with an optional leading space
            let lead = c == " " ? 1 : 0
            if let c2 = lead == 1 ? at(pos + 1) : c {
                let isOther: (Unicode.Scalar) -> Bool = { !Self.isSpace($0) && !Self.isLetter($0) && !Self.isNumber($0) }
                let isClass: ((Unicode.Scalar) -> Bool)? =
                    Self.isLetter(c2) ? Self.isLetter : Self.isNumber(c2) ? Self.isNumber : isOther(c2) ? isOther : nil
                if let isClass {
                    var k = pos + lead
                    while k < end && isClass(s[k]) { k += 1 }
                    take(k - pos)
                    continue
                }
            }
            // \s+(?!\S)|\s+ : a run of spaces leaves its last one to the next word
            var k = pos
            while k < end && Self.isSpace(s[k]) { k += 1 }
            let run = k - pos
            if run > 1 && k < end { take(run - 1); continue }
            if run > 0 { take(run); continue }
            take(1)
        }
    }

    // MARK: - Character classes

    // ASCII is answered without the Unicode property lookup, which dominated long ASCII runs.

    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value) }
        return switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    static func isNumber(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (0x30...0x39).contains(s.value) }
        return switch s.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return s.value == 0x20 || (0x09...0x0D).contains(s.value) }
        return s.properties.isWhitespace
    }
}
