// The scalar half of `JSONByteReader`: numbers, literals, and skipping whole values.

extension JSONByteReader {
    /// Reads a number, checking JSON's grammar, and returns its text unchanged (`5`, `-1.5e3`).
    func readNumberText() throws -> String {
        try skipWhitespace()
        var text: [UInt8] = []
        func digits() throws {
            guard let d = try peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) else {
                let found = try peek().map(Self.describe) ?? "the end of input"
                throw error("invalid number: expected a digit, found \(found)")
            }
            while let d = try peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(d) {
                text.append(d)
                index += 1
            }
        }
        if try peek() == UInt8(ascii: "-") {
            text.append(UInt8(ascii: "-"))
            index += 1
        }
        if try peek() == UInt8(ascii: "0") {
            text.append(UInt8(ascii: "0"))
            index += 1
        } else {
            try digits()
        }
        if try peek() == UInt8(ascii: ".") {
            text.append(UInt8(ascii: "."))
            index += 1
            try digits()
        }
        if let e = try peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            text.append(e)
            index += 1
            if let sign = try peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                text.append(sign)
                index += 1
            }
            try digits()
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads `true` or `false`.
    func readBool() throws -> Bool {
        try skipWhitespace()
        if try peek() == UInt8(ascii: "t") {
            try readLiteral("true")
            return true
        }
        try readLiteral("false")
        return false
    }

    /// Reads `null`.
    func readNull() throws {
        try skipWhitespace()
        try readLiteral("null")
    }

    private func readLiteral(_ word: StaticString) throws {
        let start = offset
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard let b = try peek(), b == expected else {
                throw error("invalid literal, expected \(word)", at: start)
            }
            index += 1
        }
    }

    /// Reads a string, number or boolean as text (`"a"` → `a`, `5` → `5`, `true` → `true`);
    /// nil for `null`. Objects and lists are a `wrongType` error at `path`.
    func readScalarText(path: @autoclosure () -> String) throws -> String? {
        switch try kind() {
        case .string: return try readString()
        case .number: return try readNumberText()
        case .bool: return try readBool() ? "true" : "false"
        case .null:
            try readNull()
            return nil
        case let other:
            throw LaMPDataError.wrongType(
                file: fileName, path: path(), expected: "a string or a number", found: other.phrase)
        }
    }

    /// Consumes one value of any kind.
    func skipValue(depth: Int = 0) throws {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels") }
        switch try kind() {
        case .object: try readObject { _ in try skipValue(depth: depth + 1) }
        case .array: try readArray { _ in try skipValue(depth: depth + 1) }
        case .string: _ = try readString()
        case .number: _ = try readNumberText()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }
}
