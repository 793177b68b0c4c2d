import Foundation

/// FNV-1a 64 of strings, as hex. Names the session store of a data directory run without a
/// session file, so it must never change: a different hash would orphan existing stores.
struct Hasher64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ text: String) {
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = (state ^ 0xff) &* 0x100_0000_01b3
    }
    var hex: String { String(state, radix: 16) }
}
