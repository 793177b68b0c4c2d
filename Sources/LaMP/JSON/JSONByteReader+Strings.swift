// The string half of `JSONByteReader`: scanning, escapes, UTF-8.

extension JSONByteReader {
    /// Reads a string value, decoding every escape (`\uXXXX` surrogate pairs included).
    ///
    /// A lone surrogate escape becomes U+FFFD, since Swift strings cannot hold it.
    func readString() throws -> String {
        try skipWhitespace()
        let start = offset
        try expect(UInt8(ascii: "\""), "'\"'")
        scratch.removeAll(keepingCapacity: true)
        var usesScratch = false
        var seen: UInt64 = 0  // OR of the raw bytes: ASCII-only text needs no UTF-8 validation
        while true {
            var i = index
            let n = count
            let p = buffer.baseAddress!
            let segment = i
            // eight bytes at a time while none is a quote, a backslash or a control
            while i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                seen |= word
                i += 8
            }
            while i < n {
                let b = p[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                seen |= UInt64(b)
                i += 1
            }
            if i == n {  // chunk ends inside the string
                scratch.append(contentsOf: UnsafeBufferPointer(start: p + segment, count: n - segment))
                usesScratch = true
                index = n
                guard try refill() else {
                    throw error("unexpected end of input inside a string", at: start)
                }
                continue
            }
            let b = p[i]
            let ascii = seen & 0x8080_8080_8080_8080 == 0
            if b == UInt8(ascii: "\""), !usesScratch {  // the common case: no escapes, one chunk
                index = i + 1
                return try makeString(UnsafeBufferPointer(start: p + segment, count: i - segment), ascii, start)
            }
            scratch.append(contentsOf: UnsafeBufferPointer(start: p + segment, count: i - segment))
            usesScratch = true
            index = i
            if b == UInt8(ascii: "\"") {
                index += 1
                return try scratch.withUnsafeBufferPointer { try makeString($0, ascii, start) }
            }
            if b < 0x20 {
                throw error(String(format: "unescaped control character U+%04X in a string", Int(b)))
            }
            index += 1  // the backslash
            try readEscape()
        }
    }

    /// Whether any of the eight bytes in `word` is `"`, `\` or below 0x20 (the exact
    /// "has a zero byte" and "has a byte less than n" bit tricks).
    @inline(__always)
    private static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote & highs
        let hasBackslash = (backslash &- ones) & ~backslash & highs
        let hasControl = (word &- ones &* 0x20) & ~word & highs
        return (hasQuote | hasBackslash | hasControl) != 0
    }

    /// Makes the string, validating the UTF-8 unless the raw bytes were all ASCII (escapes are
    /// decoded to valid UTF-8 by this reader).
    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, _ asciiRaw: Bool, _ start: Int) throws -> String {
        if asciiRaw { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw error("invalid UTF-8 in a string", at: start)
        }
        return s
    }

    /// Decodes the escape after a backslash into `scratch`.
    private func readEscape() throws {
        let escapeStart = offset - 1
        try decodeEscape(try nextByte(in: "an escape"), escapeStart)
    }

    /// Decodes escape character `c` (the backslash at `escapeStart` already consumed).
    private func decodeEscape(_ c: UInt8, _ escapeStart: Int) throws {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(c)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let value = try readHex4()
            guard (0xD800...0xDBFF).contains(value) else {
                appendScalar((0xDC00...0xDFFF).contains(value) ? 0xFFFD : value)  // lone low surrogate
                return
            }
            // a high surrogate: a `\u` low surrogate should follow
            guard try peek() == UInt8(ascii: "\\") else {
                appendScalar(0xFFFD)
                return
            }
            let nextStart = offset
            index += 1
            let next = try nextByte(in: "an escape")
            guard next == UInt8(ascii: "u") else {
                appendScalar(0xFFFD)
                try decodeEscape(next, nextStart)
                return
            }
            let low = try readHex4()
            if (0xDC00...0xDFFF).contains(low) {
                appendScalar(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))
            } else {
                appendScalar(0xFFFD)
                appendScalar((0xD800...0xDFFF).contains(low) ? 0xFFFD : low)
            }
        default:
            throw error("invalid escape '\\\(Self.printable(c))' in a string", at: escapeStart)
        }
    }

    /// Four hex digits of a `\u` escape.
    private func readHex4() throws -> UInt32 {
        if index + 4 <= count {  // fast path: all four digits in this chunk
            let p = buffer.baseAddress! + index
            if let a = Self.hexValue(p[0]), let b = Self.hexValue(p[1]), let c = Self.hexValue(p[2]),
                let d = Self.hexValue(p[3])
            {
                index += 4
                return a << 12 | b << 8 | c << 4 | d
            }
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let at = offset
            let b = try nextByte(in: "a \\u escape")
            guard let digit = Self.hexValue(b) else {
                throw error("invalid hex digit \(Self.describe(b)) in a \\u escape", at: at)
            }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Appends a scalar value (not a surrogate) to `scratch` as UTF-8.
    private func appendScalar(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | value >> 6))
            scratch.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | value >> 12))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | value >> 18))
            scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
