import Basics
import Foundation

/// FNV-1a 64 of strings, as hex, each string followed by the byte 0xFF. Names the session store
/// of a data directory run without a session file, so it must never change: a different hash
/// would orphan existing stores.
struct Hasher64 {
    private var hash = FNV1a64()
    mutating func add(_ text: String) {
        hash.add(bytes: text.utf8)
        hash.add(byte: 0xFF)
    }
    var hex: String { hash.hex }
}
