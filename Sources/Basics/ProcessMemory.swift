import Foundation

/// This process's memory as Linux reports it in `/proc/self/status`; nil where that file does
/// not exist (other systems).
public enum ProcessMemory {
    /// The resident set now (`VmRSS`), in bytes.
    public static func residentBytes() -> Int? { field("VmRSS:") }

    /// The peak resident set so far (`VmHWM`), in bytes.
    public static func peakResidentBytes() -> Int? { field("VmHWM:") }

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
