/// One GGUF metadata value. Arrays may nest (an array of arrays of strings is legal GGUF).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
    case uint32(UInt32), int32(Int32), uint64(UInt64), int64(Int64)
    case float32(Float), float64(Double), bool(Bool), string(String)
    indirect case array([GGUFValue])

    /// The value as an integer, when it is any integer type that fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(exactly: v)
        default: nil
        }
    }

    /// The value as a float, when it is a float or integer.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: intValue.map(Double.init)
        }
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [GGUFValue]? { if case .array(let a) = self { a } else { nil } }

    // MARK: - Reading

    /// GGUF value type codes (gguf.md: `gguf_metadata_value_type`).
    static let maximumNesting = 4

    /// Reads a value of type `code` for metadata `key` at the cursor.
    static func read(type code: UInt32, key: String, from cursor: inout ByteCursor, depth: Int = 0) throws -> GGUFValue {
        let what = "value of '\(key)'"
        switch code {
        case 0: return .uint8(try cursor.read(UInt8.self, what))
        case 1: return .int8(try cursor.read(Int8.self, what))
        case 2: return .uint16(try cursor.read(UInt16.self, what))
        case 3: return .int16(try cursor.read(Int16.self, what))
        case 4: return .uint32(try cursor.read(UInt32.self, what))
        case 5: return .int32(try cursor.read(Int32.self, what))
        case 6: return .float32(try cursor.readFloat(what))
        case 7:
            let at = cursor.offset
            let byte = try cursor.read(UInt8.self, what)
            guard byte <= 1 else { throw GGUFError.invalidValue(key: key, expected: "a bool (0 or 1) at byte \(at)") }
            return .bool(byte == 1)
        case 8: return .string(try cursor.readString(what))
        case 9:
            let at = cursor.offset
            guard depth < maximumNesting else { throw GGUFError.nestingTooDeep(key: key, offset: at) }
            let elementType = try cursor.read(UInt32.self, "array type of '\(key)'")
            guard let size = minimumSize(of: elementType) else {
                throw GGUFError.unknownValueType(key: key, type: elementType, offset: at)
            }
            let count = try cursor.readCount("array of '\(key)'", minimumElementSize: size)
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(try read(type: elementType, key: key, from: &cursor, depth: depth + 1))
            }
            return .array(values)
        case 10: return .uint64(try cursor.read(UInt64.self, what))
        case 11: return .int64(try cursor.read(Int64.self, what))
        case 12: return .float64(try cursor.readDouble(what))
        default: throw GGUFError.unknownValueType(key: key, type: code, offset: cursor.offset - 4)
        }
    }

    /// The fewest bytes one value of type `code` occupies, or nil for an unknown type.
    static func minimumSize(of code: UInt32) -> Int? {
        switch code {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 10, 11, 12, 8: 8
        case 9: 12
        default: nil
        }
    }
}
