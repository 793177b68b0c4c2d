import Foundation

/// Everything that can go wrong reading, verifying or writing a safetensors file.
///
/// Each case names the tensor, field or byte offset involved so a message can point at the fault.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or mapped.
    case unreadableFile(path: String, reason: String)
    /// The file is shorter than the 8-byte header-length prefix.
    case fileTooSmall(size: Int)
    /// The header length prefix points past the end of the file (or is absurdly large).
    case headerLengthOutOfRange(length: UInt64, fileSize: Int)
    /// The header is not valid UTF-8 JSON, or not a JSON object.
    case invalidHeader(reason: String)
    /// A tensor entry in the header is malformed (missing or ill-typed `dtype`/`shape`/`data_offsets`).
    case invalidTensorEntry(name: String, reason: String)
    /// A tensor uses a dtype this reader does not support.
    case unknownDType(name: String, dtype: String)
    /// A tensor's `data_offsets` fall outside the data section (offsets relative to its start).
    case offsetsOutOfRange(name: String, begin: Int, end: Int, dataSize: Int)
    /// A tensor's byte span differs from `dtype` size × product of `shape`.
    case byteCountMismatch(name: String, expected: Int, actual: Int)
    /// Two tensors' byte spans overlap; `offset` is where the second begins (relative to data start).
    case overlappingTensors(first: String, second: String, offset: Int)
    /// `__metadata__` is not an object of string values.
    case invalidMetadata(reason: String)
    /// A tensor that was asked for (or required) is not in the file.
    case missingTensor(String)
    /// The file holds a tensor that the model does not expect.
    case unexpectedTensor(String)
    /// A tensor's shape differs from the expected one.
    case shapeMismatch(name: String, expected: [Int], actual: [Int])
    /// A tensor has a dtype that the caller cannot use here (e.g. asking i64 data as floats).
    case dtypeMismatch(name: String, expected: String, actual: String)
    /// A tensor handed to the writer is inconsistent (values count vs shape, or an empty name).
    case invalidTensorToWrite(name: String, reason: String)
    /// Writing the file failed.
    case writeFailed(path: String, reason: String)

    /// A one-line message naming what went wrong and where.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "safetensors: cannot read \(path): \(reason)"
        case .fileTooSmall(let size):
            return "safetensors: file has \(size) bytes, fewer than the 8-byte header length"
        case .headerLengthOutOfRange(let length, let fileSize):
            return "safetensors: header length \(length) at offset 0 runs past the end of the \(fileSize)-byte file"
        case .invalidHeader(let reason):
            return "safetensors: invalid JSON header at offset 8: \(reason)"
        case .invalidTensorEntry(let name, let reason):
            return "safetensors: tensor '\(name)': \(reason)"
        case .unknownDType(let name, let dtype):
            return "safetensors: tensor '\(name)' has unsupported dtype '\(dtype)'"
        case .offsetsOutOfRange(let name, let begin, let end, let dataSize):
            return "safetensors: tensor '\(name)' data_offsets [\(begin), \(end)] outside the \(dataSize)-byte data section"
        case .byteCountMismatch(let name, let expected, let actual):
            return "safetensors: tensor '\(name)' spans \(actual) bytes but dtype × shape needs \(expected)"
        case .overlappingTensors(let first, let second, let offset):
            return "safetensors: tensor '\(second)' at data offset \(offset) overlaps tensor '\(first)'"
        case .invalidMetadata(let reason):
            return "safetensors: invalid __metadata__: \(reason)"
        case .missingTensor(let name):
            return "safetensors: missing tensor '\(name)'"
        case .unexpectedTensor(let name):
            return "safetensors: unexpected tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let actual):
            return "safetensors: tensor '\(name)' has shape \(actual), expected \(expected)"
        case .dtypeMismatch(let name, let expected, let actual):
            return "safetensors: tensor '\(name)' has dtype \(actual), expected \(expected)"
        case .invalidTensorToWrite(let name, let reason):
            return "safetensors: cannot write tensor '\(name)': \(reason)"
        case .writeFailed(let path, let reason):
            return "safetensors: cannot write \(path): \(reason)"
        }
    }
}

extension SafetensorsError: LocalizedError {
    /// Same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
