import Foundation
import UserReport
import WorkbenchAPI

extension EngineWorkbenchBackend {
    /// Writes `userID`'s report (Markdown with SVG charts) into `directory`; returns the files,
    /// Markdown first.
    func exportReport(userID: String, directory: String, coldStart: ColdStartReport?, emit: @escaping @Sendable (JobEvent) -> Void)
        async throws -> [String]
    {
        let data = try await reportData(userID: userID, coldStart: coldStart, emit: emit)
        emit(.progress(1, "writing the report into \(directory)"))
        return try UserReportWriter.write(data, to: URL(fileURLWithPath: directory)).map(\.path)
    }
}
