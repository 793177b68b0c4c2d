import Foundation
import XCTest
@testable import Workspace

final class ModelStoreTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func package(contents: String) -> ModelPackage {
        var hasher = SHA256()
        hasher.update(Array(contents.utf8))
        return ModelPackage(name: "tiny", requirement: "tiny==1.0", wheelPrefix: "tiny/", destination: "",
                            files: [ModelFile(path: "weights.bin", sha256: hasher.hexDigest())])
    }

    func testStatus_ReportsMissingCorruptedAndOK() throws {
        let store = ModelStore(directory: directory)
        let tiny = package(contents: "good weights")
        XCTAssertEqual(store.status(packages: [tiny]).map(\.state), [.missing])

        try Data("bad weights!".utf8).write(to: directory.appendingPathComponent("weights.bin"))
        XCTAssertEqual(store.status(packages: [tiny]).map(\.state), [.corrupted])

        try Data("good weights".utf8).write(to: directory.appendingPathComponent("weights.bin"))
        XCTAssertEqual(store.status(packages: [tiny]).map(\.state), [.ok])
        // Second check is served from the stamp and agrees.
        XCTAssertEqual(store.status(packages: [tiny]).map(\.state), [.ok])
    }

    func testRequire_NamesTheFetchCommand() throws {
        let store = ModelStore(directory: directory)
        XCTAssertThrowsError(try store.require(package(contents: "x"))) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("hydra models fetch"), message)
            XCTAssertTrue(message.contains("weights.bin"), message)
        }
    }

    func testRequire_CorruptedFileIsNotReportedAsMissing() throws {
        let store = ModelStore(directory: directory)
        let tiny = package(contents: "good weights")
        let file = directory.appendingPathComponent("weights.bin")
        XCTAssertNoThrow(try store.rejectCorrupted(tiny), "a missing file is left to the loader")
        try Data("bad weights!".utf8).write(to: file)
        for check in [store.require, store.rejectCorrupted] {
            XCTAssertThrowsError(try check(tiny)) { error in
                XCTAssertEqual(error as? ModelStoreError, .corruptedFile(file: file.path, fetchCommand: "hydra models fetch"))
                let message = String(describing: error)
                XCTAssertTrue(message.contains("corrupted (sha mismatch)"), message)
                XCTAssertFalse(message.contains("missing"), message)
            }
        }
    }

    func testFetch_ReportsAFailingPipCleanly() throws {
        // A python that always fails stands in for an unreachable registry.
        let store = ModelStore(directory: directory, python: "false")
        XCTAssertThrowsError(try store.fetch(packages: [package(contents: "x")]) { _ in }) { error in
            guard case ModelStoreError.commandFailed(_, let status, _) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertNotEqual(status, 0)
        }
    }

    func testInstalledModels_Verify() throws {
        // The test command fetches the real files first, so they must verify here.
        let store = ModelStore(directory: Paths.modelsDirectory())
        let states = store.status()
        XCTAssertEqual(states.count, ModelCatalog.all.map(\.files.count).reduce(0, +))
        for state in states { XCTAssertEqual(state.state, .ok, "\(state.path) is \(state.state)") }
    }
}
