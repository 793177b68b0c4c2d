import Foundation

/// Builds a raw safetensors image from header JSON text and a data section.
func rawSafetensors(header: String, data: [UInt8]) -> Data {
    let json = Array(header.utf8)
    var out = Data()
    var length = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
    out.append(contentsOf: json)
    out.append(contentsOf: data)
    return out
}
