import Foundation
import XCTest
@testable import Workspace

/// The one rule for the model folder, shared by the app, `scripts/setup.sh` (through `hydra models
/// fetch`) and the tests.
final class PathsTests: XCTestCase {
    func testModelsDirectory_HYDRA_MODELSWins() {
        let env = ["HYDRA_MODELS": "/m", "XDG_CACHE_HOME": "/x", "HOME": "/h"]
        XCTAssertEqual(Paths.modelsDirectory(environment: env).path, "/m")
    }

    func testModelsDirectory_ThenXDGCacheHome() {
        let env = ["HYDRA_MODELS": "", "XDG_CACHE_HOME": "/x", "HOME": "/h"]
        XCTAssertEqual(Paths.modelsDirectory(environment: env).path, "/x/hydra-workbench/models")
    }

    func testModelsDirectory_ThenHOME_NotThePasswdHome() {
        let env = ["XDG_CACHE_HOME": "", "HOME": "/fresh/home"]
        XCTAssertEqual(Paths.modelsDirectory(environment: env).path, "/fresh/home/.cache/hydra-workbench/models")
    }

    func testModelsDirectory_NSHomeDirectoryOnlyWithoutHOME() {
        XCTAssertEqual(Paths.modelsDirectory(environment: [:]).path,
                       NSHomeDirectory() + "/.cache/hydra-workbench/models")
    }
}
