#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// The JSON type of a value, as the reader sees it from the value's first byte.
enum JSONKind: String, Sendable {
    case object, array, string, number, bool, null

    /// The kind with an article, for error messages ("a string", "null").
    var phrase: String {
        switch self {
        case .object: "an object"
        case .array: "a list"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}

/// Reports loading progress: bytes read so far and the total. Called once with 0 when a file
/// is opened, then once per `JSONByteReader.chunkSize` (1 MiB) read, the last call with the
/// file's size.
public typealias LaMPLoadProgress = (_ bytesRead: Int, _ totalBytes: Int) -> Void

/// A pull parser over the bytes of one JSON document, read from a file in fixed-size chunks.
///
/// Callers walk the document with `kind()`, `readObject`, `readArray`, `readString`,
/// `readNumberText`, `readBool`, `readNull` and `skipValue`, building their records directly,
/// so memory stays at one chunk plus what the caller keeps. Every syntax error is a
/// `LaMPDataError.malformedJSON` with line, column and byte offset; line and column are found
/// only when an error happens, by re-reading the bytes before it.
final class JSONByteReader {
    /// Bytes read from the file at a time (1 MiB).
    static let chunkSize = 1 << 20
    /// Deepest nesting `skipValue` accepts before reporting an error instead of recursing on.
    static let maxDepth = 200

    /// The file name used in errors.
    let fileName: String
    /// Size of the whole input in bytes.
    let totalBytes: Int
    /// Called after each chunk is read.
    var progress: LaMPLoadProgress?

    // The cursor is internal only for this type's extensions (+Strings, +Scalars). It is
    // touched for every byte; `@exclusivity(unchecked)` drops the run-time exclusivity
    // bookkeeping on these class properties (a reader is never shared).
    private let fd: Int32  // -1 when reading from memory
    let buffer: UnsafeMutableBufferPointer<UInt8>
    @exclusivity(unchecked) var count = 0  // valid bytes in buffer
    @exclusivity(unchecked) var index = 0  // next unread byte in buffer
    @exclusivity(unchecked) private var bufferStart = 0  // input offset of buffer[0]
    /// String bytes spanning chunks or holding escapes.
    @exclusivity(unchecked) var scratch: [UInt8] = []

    /// Opens a file for reading.
    init(file url: URL, progress: LaMPLoadProgress? = nil) throws {
        fileName = url.path
        self.progress = progress
        fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw LaMPDataError.unreadableFile(file: url.path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw LaMPDataError.unreadableFile(file: url.path, reason: "not a regular file")
        }
        totalBytes = Int(info.st_size)
        buffer = .allocate(capacity: Self.chunkSize)
        progress?(0, totalBytes)
    }

    /// Reads from bytes already in memory (small files, tests).
    init(bytes: [UInt8], name: String) {
        fileName = name
        fd = -1
        totalBytes = bytes.count
        buffer = .allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        count = bytes.count
    }

    deinit {
        buffer.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// The input offset of the next unread byte.
    var offset: Int { bufferStart + index }

    // MARK: - Bytes

    /// Replaces the buffer with the next chunk; false at the end of the input.
    func refill() throws -> Bool {
        guard fd >= 0 else { return false }
        bufferStart += count
        index = 0
        count = 0
        while count < buffer.count {
            let n = read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw LaMPDataError.unreadableFile(file: fileName, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            count += n
        }
        guard count > 0 else { return false }
        progress?(bufferStart + count, totalBytes)
        return true
    }

    /// The next byte without consuming it, or nil at the end of the input.
    func peek() throws -> UInt8? {
        if index < count { return buffer[index] }
        guard try refill() else { return nil }
        return buffer[index]
    }

    /// Consumes and returns the next byte; `context` names what was being read, for the error.
    func nextByte(in context: String) throws -> UInt8 {
        guard let b = try peek() else { throw error("unexpected end of input in \(context)") }
        index += 1
        return b
    }

    /// Skips spaces, tabs, line feeds and carriage returns (JSON's whitespace).
    func skipWhitespace() throws {
        while true {
            var i = index
            let n = count
            let p = buffer.baseAddress!
            while i < n {
                let b = p[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { break }
                i += 1
            }
            index = i
            if i < n { return }
            guard try refill() else { return }
        }
    }

    /// Skips a UTF-8 byte order mark at the very start of the input.
    func skipByteOrderMark() throws {
        guard offset == 0, try peek() == 0xEF, count >= 3, buffer[1] == 0xBB, buffer[2] == 0xBF else { return }
        index = 3
    }

    /// Consumes `byte` or throws naming `what` was expected.
    func expect(_ byte: UInt8, _ what: String) throws {
        guard let b = try peek() else { throw error("unexpected end of input, expected \(what)") }
        guard b == byte else { throw error("expected \(what), found \(Self.describe(b))") }
        index += 1
    }

    /// Throws unless only whitespace is left.
    func finish() throws {
        try skipWhitespace()
        if let b = try peek() {
            throw error("unexpected \(Self.describe(b)) after the end of the JSON value")
        }
    }

    // MARK: - Values

    /// The kind of the next value (after whitespace), without consuming it.
    func kind() throws -> JSONKind {
        try skipWhitespace()
        guard let b = try peek() else { throw error("unexpected end of input, expected a value") }
        switch b {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw error("unexpected \(Self.describe(b)), expected a value")
        }
    }

    /// Reads an object, calling `body` with each field name; `body` must consume the value.
    func readObject(_ body: (String) throws -> Void) throws {
        try skipWhitespace()
        try expect(UInt8(ascii: "{"), "'{'")
        try skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            try skipWhitespace()
            guard let b = try peek() else { throw error("unexpected end of input, expected a field name") }
            guard b == UInt8(ascii: "\"") else {
                if b == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw error("expected a field name in double quotes, found \(Self.describe(b))")
            }
            let key = try readString()
            try skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after field name")
            try body(key)
            try skipWhitespace()
            guard let c = try peek() else { throw error("unexpected end of input, expected ',' or '}'") }
            guard c == UInt8(ascii: ",") || c == UInt8(ascii: "}") else {
                throw error("expected ',' or '}', found \(Self.describe(c))")
            }
            index += 1
            if c == UInt8(ascii: "}") { return }
        }
    }

    /// Reads a list, calling `body` with each element's index; `body` must consume the element.
    func readArray(_ body: (Int) throws -> Void) throws {
        try skipWhitespace()
        try expect(UInt8(ascii: "["), "'['")
        try skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        var element = 0
        while true {
            try skipWhitespace()
            if try peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            try body(element)
            element += 1
            try skipWhitespace()
            guard let c = try peek() else { throw error("unexpected end of input, expected ',' or ']'") }
            guard c == UInt8(ascii: ",") || c == UInt8(ascii: "]") else {
                throw error("expected ',' or ']', found \(Self.describe(c))")
            }
            index += 1
            if c == UInt8(ascii: "]") { return }
        }
    }

    // MARK: - Errors

    /// A `malformedJSON` error at `at` (default: the next unread byte), with line and column.
    func error(_ reason: String, at: Int? = nil) -> LaMPDataError {
        let position = at ?? offset
        let (line, column) = lineAndColumn(of: position)
        return .malformedJSON(file: fileName, line: line, column: column, offset: position, reason: reason)
    }

    /// 1-based line and column (in characters, counting UTF-8 lead bytes) of a byte offset,
    /// found by re-reading the input up to it.
    private func lineAndColumn(of position: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
            for b in bytes {
                if b == 0x0A {
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80 {
                    column += 1
                }
            }
        }
        if fd < 0 {
            scan(UnsafeBufferPointer(rebasing: buffer[0..<min(position, count)]))
            return (line, column)
        }
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        var done = 0
        while done < position {
            let want = min(chunk.count, position - done)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(done)) }
            if n <= 0 { break }
            chunk.withUnsafeBufferPointer { scan(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            done += n
        }
        return (line, column)
    }

    /// A byte for a message: `'x'` when printable ASCII, else `byte 0xNN`.
    static func describe(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02X", Int(b))
    }

    static func printable(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? String(Character(Unicode.Scalar(b))) : String(format: "\\x%02X", Int(b))
    }
}
