/// Appends JSON text to a byte buffer, formatted the way Python's `json.dumps` formats by
/// default (`", "` between items, `": "` after keys), so files compare byte for byte.
struct JSONTextWriter {
    /// The text written so far.
    var bytes: [UInt8] = []
    /// Escape every non-ASCII character as `\uXXXX` (surrogate pairs above U+FFFF), as Python
    /// does with `ensure_ascii=True`; otherwise write UTF-8 as is (`ensure_ascii=False`).
    let asciiOnly: Bool

    init(asciiOnly: Bool) {
        self.asciiOnly = asciiOnly
    }

    /// Appends ASCII punctuation or a literal such as `{`, `", "`, `null`.
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `"key": ` for an object member.
    mutating func key(_ name: String) {
        string(name)
        raw(": ")
    }

    /// Appends a quoted, escaped string. Escapes exactly what Python escapes: `"`, `\`, the
    /// controls below U+0020 (`\n`, `\r`, `\t`, `\b`, `\f` by name, the rest as lower-case
    /// `\u00XX`) and, with `asciiOnly`, everything above U+007F.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        if asciiOnly {
            for scalar in text.unicodeScalars {
                if scalar.value < 0x80 {
                    escapeASCII(UInt8(scalar.value))
                } else if scalar.value <= 0xFFFF {
                    hexEscape(UInt16(scalar.value))
                } else {
                    let v = scalar.value - 0x10000
                    hexEscape(UInt16(0xD800 + (v >> 10)))
                    hexEscape(UInt16(0xDC00 + (v & 0x3FF)))
                }
            }
        } else {
            for b in text.utf8 {
                if b < 0x80 { escapeASCII(b) } else { bytes.append(b) }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escapeASCII(_ b: UInt8) {
        switch b {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        case 0..<0x20: hexEscape(UInt16(b))
        default: bytes.append(b)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func hexEscape(_ unit: UInt16) {
        let digits = Self.hexDigits
        raw("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(digits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}
