import Basics
import Foundation

/// The process's resident memory now, in MiB; 0 where unavailable.
func residentMegabytes() -> Double {
    Double(ProcessMemory.residentBytes() ?? 0) / (1024 * 1024)
}
