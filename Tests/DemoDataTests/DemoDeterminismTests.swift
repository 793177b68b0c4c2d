import Foundation
import LaMP
import XCTest

@testable import DemoData

final class DemoDeterminismTests: XCTestCase {
    private func files(_ spec: DemoSpec) throws -> [Data] {
        let dir = try makeTemporaryDirectory(self)
        try DemoGenerator(spec: spec).write(to: dir)
        return try demoFileNames.map { try Data(contentsOf: dir.appendingPathComponent($0)) }
    }

    func testWrite_SameSeed_ByteIdenticalFiles() throws {
        for task in [LaMPTask.movieTag, .productRating, .newsHeadline] {
            let spec = DemoSpec(task: task, users: 6, seed: 42, profileSize: 20...60, questionsPerUser: 2)
            let first = try files(spec)
            let second = try files(spec)
            for (k, name) in demoFileNames.enumerated() {
                XCTAssertEqual(first[k], second[k], "\(task) \(name) differs between runs")
            }
        }
    }

    func testWrite_DifferentSeed_DifferentFiles() throws {
        for task in [LaMPTask.movieTag, .productRating, .newsHeadline] {
            let a = try files(DemoSpec(task: task, users: 6, seed: 1, profileSize: 20...60, questionsPerUser: 2))
            let b = try files(DemoSpec(task: task, users: 6, seed: 2, profileSize: 20...60, questionsPerUser: 2))
            for (k, name) in demoFileNames.enumerated() where name.hasSuffix("questions.json") {
                XCTAssertNotEqual(a[k], b[k], "\(task) \(name) same for different seeds")
            }
        }
    }

    func testDataset_MoreUsers_KeepsEarlierUsersContent() throws {
        // each user has an own stream: adding users does not change the first users' data
        let small = try DemoGenerator(spec: DemoSpec(task: .movieTag, users: 4, seed: 8)).makeDataset()
        let large = try DemoGenerator(spec: DemoSpec(task: .movieTag, users: 9, seed: 8)).makeDataset()
        let firstSmall = try XCTUnwrap(small.trainQuestions.first)
        let firstLarge = try XCTUnwrap(large.trainQuestions.first)
        XCTAssertEqual(firstSmall.input, firstLarge.input)
        XCTAssertEqual(firstSmall.profile.map { $0["description"] }, firstLarge.profile.map { $0["description"] })
        XCTAssertEqual(small.users.users[0].movieTags, large.users.users[0].movieTags)
    }

    func testSplitMix64_KnownSequence_AndUniformDraws() {
        // splitmix64 with seed 0 starts 0xE220A8397B1DCDAF (Vigna's reference implementation)
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        var counts = [Int](repeating: 0, count: 5)
        var sum = 0.0
        for _ in 0..<5000 {
            counts[rng.below(5)] += 1
            sum += rng.normal()
        }
        for c in counts { XCTAssertEqual(Double(c), 1000, accuracy: 120) }
        XCTAssertEqual(sum / 5000, 0, accuracy: 0.06)
        let shuffled = rng.shuffled(Array(0..<20))
        XCTAssertEqual(shuffled.sorted(), Array(0..<20))
    }
}
