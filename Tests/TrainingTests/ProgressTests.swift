import Foundation
import Numerics
import Training
import XCTest

/// Collects events from the training thread.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TrainingEvent] = []

    func append(_ e: TrainingEvent) {
        lock.lock()
        events.append(e)
        lock.unlock()
    }

    var all: [TrainingEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}

final class ProgressTests: XCTestCase {
    private func data(users: Int, rows: Int) throws -> [UserExamples] {
        var rng = SplitMix64(seed: 4)
        return try (0..<users).map { u in
            var x = Matrix(rows: rows, cols: 8)
            for i in 0..<x.count { x.data[i] = Float(rng.normal()) }
            return try UserExamples(userID: "u\(u)", features: x, labels: (0..<rows).map { x[$0, u] > 0 ? 1 : 0 })
        }
    }

    private let config = ModelConfig(inputSize: 8, baseWidths: [16])

    func testJointTraining_EmitsOneEventPerStep_WithThroughputAndTimeLeft() throws {
        var model = FactorizedModel(config: config, seed: 1)
        let log = EventLog()
        let losses = try JointTraining.train(
            model: &model, data: try data(users: 3, rows: 40), settings: TrainingSettings(epochs: 2, batchSize: 32, seed: 1),
            progress: { log.append($0) })
        let events = log.all
        XCTAssertEqual(events.count, losses.count)
        XCTAssertEqual(events.map(\.step), Array(1...losses.count))
        XCTAssertEqual(events.map(\.loss), losses)
        XCTAssertEqual(events.last?.totalSteps, 8)
        XCTAssertEqual(events.last?.epoch, 2)
        XCTAssertEqual(events.last?.secondsRemaining, 0)
        XCTAssertEqual(events.first?.smoothedLoss ?? 0, losses[0], accuracy: 1e-6)
        XCTAssertTrue(events.allSatisfy { $0.examplesPerSecond > 0 && $0.phase == .joint })
    }

    func testCancellationToken_StopsJointTrainingAtNextStep() throws {
        var model = FactorizedModel(config: config, seed: 1)
        let token = CancellationToken()
        let log = EventLog()
        XCTAssertThrowsError(
            try JointTraining.train(
                model: &model, data: try data(users: 2, rows: 64), settings: TrainingSettings(epochs: 50, batchSize: 8, seed: 1),
                token: token, progress: { event in
                    log.append(event)
                    if event.step == 3 { token.cancel() }
                })
        ) { error in XCTAssertEqual(error as? TrainingError, .cancelled) }
        XCTAssertEqual(log.all.count, 3)
    }

    func testTrainingStream_DeliversProgressThenModel() async throws {
        let model = FactorizedModel(config: config, seed: 1)
        let users = try data(users: 2, rows: 20)
        var progressCount = 0
        var finished: FactorizedModel?
        for try await update in TrainingStream.fit(model: model, users: users, settings: TrainingSettings(epochs: 3, batchSize: 10), initialization: .fresh) {
            switch update {
            case .progress(let event):
                progressCount += 1
                if case .fit = event.phase {} else { XCTFail("expected fit events") }
            case .finished(let trained):
                finished = trained
            }
        }
        XCTAssertEqual(progressCount, 2 * 3 * 2)
        XCTAssertEqual(finished?.userIDs.sorted(), ["u0", "u1"])
    }

    func testTrainingStream_TaskCancellation_StopsPromptly() async throws {
        let model = FactorizedModel(config: config, seed: 1)
        let users = try data(users: 4, rows: 64)
        let settings = TrainingSettings(epochs: 100_000, batchSize: 8)
        let task = Task { () -> Int in
            var seen = 0
            for try await update in TrainingStream.joint(model: model, data: users, settings: settings) {
                if case .progress = update { seen += 1 }
            }
            return seen
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        let start = Date()
        task.cancel()
        _ = try? await task.value
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.0, "cancellation should stop the stream promptly")
    }
}
