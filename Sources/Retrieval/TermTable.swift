import Basics
import Foundation

/// A vocabulary keyed by UTF-8 bytes: term ids in order of first insertion.
///
/// Open addressing with linear probing over a power-of-two slot array. Keys are compared byte
/// for byte, so two tokens are the same term exactly when Python would say so.
struct TermTable: Sendable {
    /// All term bytes, back to back; term `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Term id per slot, -1 where empty.
    private var slots: [Int32] = [Int32](repeating: -1, count: 16)
    /// Hash of each term, by id (saves re-hashing when the table grows).
    private var hashes: [UInt64] = []

    /// The number of terms.
    var count: Int { starts.count - 1 }

    /// The term with id `id`.
    func term(_ id: Int) -> String {
        String(decoding: bytes[starts[id]..<starts[id + 1]], as: UTF8.self)
    }

    /// The id of `key`, or -1 when it is not a term.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Self.hash(key)
        let mask = slots.count - 1
        return slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                var s = Int(truncatingIfNeeded: h) & mask
                while true {
                    let id = slots[s]
                    if id < 0 { return -1 }
                    if hashes[Int(id)] == h && equals(Int(id), key) { return id }
                    s = (s + 1) & mask
                }
            }
        }
    }

    /// The id of `key`, inserting it as a new term if needed.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
        let found = find(key)
        if found >= 0 { return found }
        let id = Int32(count)
        let h = Self.hash(key)
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        hashes.append(h)
        if count * 2 > slots.count { grow() } else { place(id, hash: h) }
        return id
    }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        guard starts[id + 1] - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            key.isEmpty || memcmp(all.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: hash) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for id in 0..<count { place(Int32(id), hash: hashes[id]) }
    }

    /// FNV-1a over the bytes, then a splitmix64 finaliser so low bits are well mixed.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = FNV1a64()
        h.add(bytes: key)
        return SplitMix64.mix(h.value)
    }
}
