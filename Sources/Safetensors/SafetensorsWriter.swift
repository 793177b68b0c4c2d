import Foundation

/// An f32 tensor to write: row-major values and their shape.
public struct SafetensorsFloatTensor: Sendable, Equatable {
    /// Shape, outermost first.
    public var shape: [Int]
    /// Row-major values; count must equal the product of `shape`.
    public var values: [Float]

    /// Creates a tensor from its shape and values.
    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// Writes f32 tensors and string metadata in the safetensors format, readable by Python's
/// `safetensors` library: tensors in ascending name order, contiguous from data offset 0, and the
/// JSON header padded with spaces so the data section starts at a multiple of 8 bytes.
public enum SafetensorsWriter {
    /// The complete file image.
    /// - Parameters:
    ///   - tensors: name → tensor.
    ///   - metadata: stored as `__metadata__` (omitted when empty).
    /// - Throws: `.invalidTensorToWrite` when a name is empty/reserved or values do not fit the shape.
    public static func serialize(
        _ tensors: [String: SafetensorsFloatTensor], metadata: [String: String] = [:]
    ) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            guard let tensor = tensors[name] else { continue }
            guard !name.isEmpty, name != "__metadata__" else {
                throw SafetensorsError.invalidTensorToWrite(name: name, reason: "reserved or empty name")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }),
                  tensor.shape.reduce(1, *) == tensor.values.count
            else {
                throw SafetensorsError.invalidTensorToWrite(
                    name: name, reason: "\(tensor.values.count) values do not fill shape \(tensor.shape)")
            }
            let size = 4 * tensor.values.count
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // pad with spaces so that 8 + header length is a multiple of 8
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))

        var out = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        for name in names {
            guard let tensor = tensors[name] else { continue }
            tensor.values.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Serializes (see `serialize`) and writes atomically to `url`.
    /// - Throws: `.invalidTensorToWrite` or `.writeFailed` naming the path.
    public static func write(
        _ tensors: [String: SafetensorsFloatTensor], metadata: [String: String] = [:], to url: URL
    ) throws {
        let data = try serialize(tensors, metadata: metadata)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw SafetensorsError.writeFailed(path: url.path, reason: error.localizedDescription)
        }
    }
}
