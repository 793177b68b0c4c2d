import Foundation
#if canImport(Glibc)
import CMalloc
#endif

/// This process's memory as Linux reports it in `/proc/self/status`; nil where that file does
/// not exist (other systems).
public enum ProcessMemory {
    /// The resident set now (`VmRSS`), in bytes.
    public static func residentBytes() -> Int? { field("VmRSS:") }

    /// The peak resident set so far (`VmHWM`), in bytes.
    public static func peakResidentBytes() -> Int? { field("VmHWM:") }

    /// Makes glibc give every block of 1 MB or more its own mapping, unmapped when the block is
    /// freed. By default glibc raises that threshold (up to 32 MB) each time such a block is
    /// freed; after that the embedded LLM's key/value caches and batches (a few MB each, made and
    /// freed per request) come from the heap, and their freed pages stay resident: a cold run of
    /// `demo-quick` peaked at 508 MB that way against 404 MB with this, in the same time. Call it
    /// once, at the start of the process.
    public static func returnLargeBlocksWhenFreed() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
        #endif
    }

    /// A `kB` line of `/proc/self/status`, in bytes.
    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let number = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            return number.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
