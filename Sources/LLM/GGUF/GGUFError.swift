/// Everything that can go wrong while reading a GGUF file or binding its tensors to a model.
///
/// Each case names what was being read and where (byte offset, metadata key or tensor name), so a
/// truncated or crafted file produces a message that points at the problem.
public enum GGUFError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or mapped (`errno` from the system call).
    case cannotOpen(path: String, errno: Int32)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: UInt32)
    /// Only versions 2 and 3 are read.
    case unsupportedVersion(UInt32)
    /// A read of `needed` bytes at `offset` runs past the end of the file.
    case truncated(what: String, offset: Int, needed: Int, fileSize: Int)
    /// A count (array length, string length, number of keys or tensors) cannot fit in the file.
    case countTooLarge(what: String, count: UInt64, offset: Int)
    /// A string is not valid UTF-8.
    case invalidString(what: String, offset: Int)
    /// A metadata value has a type code outside the GGUF specification.
    case unknownValueType(key: String, type: UInt32, offset: Int)
    /// Arrays nested deeper than the reader allows.
    case nestingTooDeep(key: String, offset: Int)
    /// The same metadata key or tensor name appears twice.
    case duplicateName(String)
    /// `general.alignment` is zero or not a power of two.
    case invalidAlignment(UInt64)
    /// A tensor has no dimensions, too many, a zero dimension, or an element count that overflows.
    case invalidTensorShape(name: String, dims: [UInt64])
    /// A tensor's first dimension is not a multiple of its type's block size.
    case misalignedBlocks(name: String, rowLength: Int, blockSize: Int)
    /// A tensor's data offset is not a multiple of the file's alignment.
    case misalignedTensor(name: String, offset: UInt64)
    /// A tensor's bytes lie outside the file.
    case tensorOutOfBounds(name: String, offset: UInt64, size: UInt64, fileSize: Int)
    /// The tensor uses a type this runtime does not decode.
    case unsupportedTensorType(name: String, type: UInt32)
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata key has a value of the wrong type or out of range.
    case invalidValue(key: String, expected: String)
    /// A tensor the model needs is absent.
    case missingTensor(String)
    /// A tensor has a shape other than the one the model configuration implies.
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .cannotOpen(let path, let errno): "GGUF: cannot open \(path) (errno \(errno))"
        case .badMagic(let found): "GGUF: bad magic 0x\(String(found, radix: 16)) (expected 'GGUF')"
        case .unsupportedVersion(let v): "GGUF: unsupported version \(v) (2 and 3 are supported)"
        case .truncated(let what, let offset, let needed, let size):
            "GGUF: \(what) at byte \(offset) needs \(needed) bytes but the file has \(size)"
        case .countTooLarge(let what, let count, let offset):
            "GGUF: \(what) count \(count) at byte \(offset) cannot fit in the file"
        case .invalidString(let what, let offset): "GGUF: \(what) at byte \(offset) is not UTF-8"
        case .unknownValueType(let key, let type, let offset):
            "GGUF: metadata '\(key)' has unknown value type \(type) at byte \(offset)"
        case .nestingTooDeep(let key, let offset): "GGUF: metadata '\(key)' nests arrays too deeply at byte \(offset)"
        case .duplicateName(let name): "GGUF: '\(name)' appears twice"
        case .invalidAlignment(let a): "GGUF: general.alignment \(a) is not a power of two"
        case .invalidTensorShape(let name, let dims): "GGUF: tensor '\(name)' has invalid shape \(dims)"
        case .misalignedBlocks(let name, let n, let b):
            "GGUF: tensor '\(name)' row length \(n) is not a multiple of block size \(b)"
        case .misalignedTensor(let name, let offset): "GGUF: tensor '\(name)' offset \(offset) is not aligned"
        case .tensorOutOfBounds(let name, let offset, let size, let fileSize):
            "GGUF: tensor '\(name)' (\(size) bytes at data offset \(offset)) lies outside the \(fileSize)-byte file"
        case .unsupportedTensorType(let name, let type): "GGUF: tensor '\(name)' has unsupported type \(GGMLType.name(of: type))"
        case .missingKey(let key): "GGUF: missing metadata key '\(key)'"
        case .invalidValue(let key, let expected): "GGUF: metadata '\(key)' is not \(expected)"
        case .missingTensor(let name): "GGUF: missing tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let found):
            "GGUF: tensor '\(name)' has shape \(found), expected \(expected)"
        }
    }
}
