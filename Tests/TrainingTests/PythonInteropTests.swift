import Foundation
import Numerics
import Training
import XCTest

/// Opens a checkpoint with Python's `safetensors` when `HYDRA_TEST_PYTHON` names an interpreter that
/// has it (e.g. the bench venv); skipped otherwise.
final class PythonInteropTests: XCTestCase {
    func testCheckpoint_OpensWithPythonSafetensors() throws {
        guard let python = ProcessInfo.processInfo.environment["HYDRA_TEST_PYTHON"] else {
            throw XCTSkip("set HYDRA_TEST_PYTHON to an interpreter with safetensors and numpy")
        }
        var model = FactorizedModel(config: ModelConfig(inputSize: 4, baseWidths: [3]), seed: 2)
        model.setHead(model.makeHead(for: "u1", initialization: .fresh, seed: 1), for: "u1")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hydra-py-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try Checkpoint.save(model, to: url)
        let script = """
            import json, sys
            from safetensors import safe_open
            with safe_open(sys.argv[1], "numpy") as f:
                meta = f.metadata()
                w = f.get_tensor("heads.dense.weight")
                print(json.dumps({"users": json.loads(meta["user_ids"]), "shape": list(w.shape), "first": float(w[0, 0, 0])}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let out = try XCTUnwrap(try JSONSerialization.jsonObject(with: pipe.fileHandleForReading.readDataToEndOfFile()) as? [String: Any])
        XCTAssertEqual(out["users"] as? [String], ["u1"])
        XCTAssertEqual(out["shape"] as? [Int], [1, 3, 3])
        XCTAssertEqual(out["first"] as? Double, Double(try XCTUnwrap(model.head(for: "u1")).dense.weight.value.data[0]))
    }
}
