import Foundation
import LaMP
import XCTest

@testable import DemoData

final class DemoFormatTests: XCTestCase {
    private let tasks: [LaMPTask] = [.movieTag, .productRating, .newsHeadline]

    private func smallSpec(_ task: LaMPTask) -> DemoSpec {
        DemoSpec(task: task, users: 9, seed: 3, profileSize: 20...40, questionsPerUser: 3)
    }

    // MARK: - LaMP files

    func testWrite_QuestionsFiles_HaveExactlyLaMPFields() throws {
        for task in tasks {
            let dir = try makeTemporaryDirectory(self)
            try DemoGenerator(spec: smallSpec(task)).write(to: dir)
            for split in ["train", "dev"] {
                let file = dir.appendingPathComponent("\(split)_questions.json")
                let questions = try XCTUnwrap(parseJSON(file) as? [[String: Any]], "\(task) \(split)")
                XCTAssertFalse(questions.isEmpty)
                for question in questions {
                    XCTAssertEqual(Set(question.keys), ["id", "input", "profile", "user_id"])
                    XCTAssertNotNil(question["id"] as? String)
                    XCTAssertNotNil(question["user_id"] as? String)
                    let profile = try XCTUnwrap(question["profile"] as? [[String: Any]])
                    for item in profile {
                        XCTAssertEqual(Set(item.keys), Set(["id"] + task.profileFields), "\(task)")
                        for value in item.values { XCTAssertNotNil(value as? String) }
                    }
                }
            }
        }
    }

    func testWrite_OutputsFiles_MatchQuestionIDsInOrder() throws {
        for task in tasks {
            let dir = try makeTemporaryDirectory(self)
            try DemoGenerator(spec: smallSpec(task)).write(to: dir)
            for split in ["train", "dev"] {
                let questions = try XCTUnwrap(
                    parseJSON(dir.appendingPathComponent("\(split)_questions.json")) as? [[String: Any]])
                let outputs = try XCTUnwrap(
                    parseJSON(dir.appendingPathComponent("\(split)_outputs.json")) as? [String: Any])
                XCTAssertEqual(Set(outputs.keys), ["task", "golds"])
                XCTAssertEqual(outputs["task"] as? String, task.rawValue)
                let golds = try XCTUnwrap(outputs["golds"] as? [[String: Any]])
                for gold in golds { XCTAssertEqual(Set(gold.keys), ["id", "output"]) }
                XCTAssertEqual(golds.map { $0["id"] as? String }, questions.map { $0["id"] as? String })
            }
        }
    }

    func testDataset_IDs_UniqueAcrossQuestionsAndItems() throws {
        for task in tasks {
            let dataset = try DemoGenerator(spec: smallSpec(task)).makeDataset()
            let questions = dataset.trainQuestions + dataset.devQuestions
            let questionIDs = questions.map(\.id)
            XCTAssertEqual(Set(questionIDs).count, questionIDs.count, "\(task): duplicate question id")
            var itemIDs: [String] = []
            for user in dataset.users.users {
                let first = try XCTUnwrap(questions.first { $0.id == user.questionIDs.first })
                itemIDs += first.profile.map(\.id)
            }
            XCTAssertEqual(Set(itemIDs).count, itemIDs.count, "\(task): duplicate item id")
            XCTAssertTrue(Set(itemIDs).isDisjoint(with: questionIDs), "\(task): item id equals a question id")
        }
    }

    func testDataset_Users_SplitByUserWithOneProfileEach() throws {
        let spec = smallSpec(.movieTag)
        let dataset = try DemoGenerator(spec: spec).makeDataset()
        let trainUsers = Set(dataset.trainQuestions.compactMap(\.userID))
        let devUsers = Set(dataset.devQuestions.compactMap(\.userID))
        XCTAssertEqual(trainUsers.count, spec.trainUserCount)
        XCTAssertEqual(devUsers.count, spec.users - spec.trainUserCount)
        XCTAssertTrue(trainUsers.isDisjoint(with: devUsers))
        for user in dataset.users.users {
            let mine = (dataset.trainQuestions + dataset.devQuestions).filter { $0.userID == user.userID }
            XCTAssertEqual(mine.map(\.id), user.questionIDs)
            XCTAssertEqual(mine.count, spec.questionsPerUser)
            XCTAssertTrue(mine.allSatisfy { $0.profile == mine[0].profile }, "\(user.userID): profiles differ")
            XCTAssertEqual(mine[0].profile.count, user.profileSize)
            XCTAssertTrue(spec.profileSize.contains(user.profileSize))
        }
    }

    func testDataset_Inputs_UseExactLaMPTemplates() throws {
        let prefixes: [LaMPTask: String] = [
            .movieTag:
                "Which tag does this movie relate to among the following tags? Just answer with the tag name "
                + "without further explanation. tags: [sci-fi, based on a book, comedy, action, twist ending, "
                + "dystopia, dark comedy, classic, psychology, fantasy, romance, thought-provoking, "
                + "social commentary, violence, true story] description: ",
            .productRating:
                "What is the score of the following review on a scale of 1 to 5? just answer with 1, 2, 3, 4, "
                + "or 5 without further explanation. review: ",
            .newsHeadline: "Generate a headline for the following article: ",
        ]
        for task in tasks {
            let dataset = try DemoGenerator(spec: smallSpec(task)).makeDataset()
            let prefix = try XCTUnwrap(prefixes[task])
            for question in dataset.trainQuestions + dataset.devQuestions {
                XCTAssertTrue(question.input.hasPrefix(prefix), "\(task): \(question.input.prefix(80))")
                XCTAssertGreaterThan(question.input.count, prefix.count)
            }
        }
    }

    func testDataset_Answers_AreValidLabels() throws {
        for task in [LaMPTask.movieTag, .productRating] {
            let labels = Set(try XCTUnwrap(task.labels))
            let dataset = try DemoGenerator(spec: smallSpec(task)).makeDataset()
            for gold in dataset.trainGolds + dataset.devGolds {
                XCTAssertTrue(labels.contains(gold.output), "\(task): gold '\(gold.output)'")
            }
            let answerField = try XCTUnwrap(task.answerField)
            for question in dataset.trainQuestions + dataset.devQuestions {
                for item in question.profile {
                    XCTAssertTrue(labels.contains(item[answerField]), "\(task): item answer '\(item[answerField])'")
                }
            }
        }
        let headlines = try DemoGenerator(spec: smallSpec(.newsHeadline)).makeDataset()
        for gold in headlines.trainGolds + headlines.devGolds {
            XCTAssertGreaterThanOrEqual(TextKit.wordCount(gold.output), 3, gold.output)
        }
    }

    func testDataset_Texts_Have20To80Words() throws {
        for task in tasks {
            let spec = DemoSpec(task: task, users: 6, seed: 5, profileSize: 150...200, questionsPerUser: 5)
            let dataset = try DemoGenerator(spec: spec).makeDataset()
            let textField = task.profileFields[0]
            var texts: [String] = (dataset.trainQuestions + dataset.devQuestions).map { itemText(ofInput: $0.input) }
            for question in dataset.trainQuestions + dataset.devQuestions { texts += question.profile.map { $0[textField] } }
            for text in texts {
                XCTAssertTrue((20...80).contains(TextKit.wordCount(text)), "\(task): \(TextKit.wordCount(text)) words: \(text)")
            }
            // varied: almost no two profile items share a text
            let distinctItems = Set(dataset.devQuestions.flatMap { $0.profile.map { $0[textField] } })
            let allItems = Set(dataset.devQuestions.flatMap { $0.profile.map(\.id) })
            XCTAssertGreaterThan(Double(distinctItems.count), 0.95 * Double(allItems.count), "\(task)")
        }
    }

    // MARK: - demo_users.json

    func testUsersFile_RoundTrips_AndDocumentsTheTaskFields() throws {
        for task in tasks {
            let dir = try makeTemporaryDirectory(self)
            let generator = try DemoGenerator(spec: smallSpec(task))
            let summary = try generator.write(to: dir)
            let file = try DemoUsersFile.read(from: dir.appendingPathComponent(DemoGenerator.usersFileName))
            XCTAssertEqual(file, generator.makeDataset().users)
            XCTAssertEqual(file.spec, generator.spec)
            XCTAssertEqual(file.users.count, summary.trainUsers + summary.devUsers)
            for user in file.users {
                XCTAssertEqual(user.movieTags != nil, task == .movieTag)
                XCTAssertEqual(user.rating != nil, task == .productRating)
                XCTAssertEqual(user.headline != nil, task == .newsHeadline)
            }
            let prefix = task == .movieTag ? "movie_tags." : task == .productRating ? "rating." : "headline."
            XCTAssertTrue(file.fieldDocs.keys.contains { $0.hasPrefix(prefix) }, "\(task)")
            let raw = try XCTUnwrap(parseJSON(dir.appendingPathComponent("demo_users.json")) as? [String: Any])
            XCTAssertEqual(Set(raw.keys), ["format", "spec", "field_docs", "users"])
        }
    }

    func testUsersFile_Read_MissingFile_ThrowsNamingPath() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("nope.json")
        XCTAssertThrowsError(try DemoUsersFile.read(from: url)) { error in
            guard case .unreadableUsersFile(let path, _) = error as? DemoError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(path, url.path)
        }
        try Data("{\"format\": 3}".utf8).write(to: url)
        XCTAssertThrowsError(try DemoUsersFile.read(from: url)) { error in
            XCTAssertNotNil(error as? DemoError)
        }
    }

    func testSummary_CountsMatchFiles() throws {
        let dir = try makeTemporaryDirectory(self)
        let spec = smallSpec(.productRating)
        let summary = try DemoGenerator(spec: spec).write(to: dir)
        XCTAssertEqual(summary.files.map(\.lastPathComponent), demoFileNames)
        XCTAssertEqual(summary.trainUsers, 6)
        XCTAssertEqual(summary.devUsers, 3)
        XCTAssertEqual(summary.trainQuestions, 18)
        XCTAssertEqual(summary.devQuestions, 9)
        XCTAssertTrue(summary.minProfileSize >= 20 && summary.maxProfileSize <= 40)
        XCTAssertGreaterThanOrEqual(summary.profileItems, 9 * 20)
        XCTAssertTrue((20...80).contains(summary.meanWordsPerItem))
    }

    // MARK: - Spec

    func testSpec_Invalid_ThrowsNamingField() {
        let bad: [(DemoSpec, String)] = [
            (DemoSpec(task: .citation), "task"),
            (DemoSpec(task: .movieTag, users: 0), "users"),
            (DemoSpec(task: .movieTag, profileSize: 0...5), "profileSize"),
            (DemoSpec(task: .movieTag, questionsPerUser: 0), "questionsPerUser"),
            (DemoSpec(task: .movieTag, trainFraction: 1.5), "trainFraction"),
            (DemoSpec(task: .movieTag, trainFraction: .nan), "trainFraction"),
        ]
        for (spec, field) in bad {
            XCTAssertThrowsError(try DemoGenerator(spec: spec)) { error in
                guard case .invalidSpec(let named, _, _) = error as? DemoError else {
                    return XCTFail("unexpected \(error)")
                }
                XCTAssertEqual(named, field)
            }
        }
    }

    func testSpec_Codable_RoundTripsAndFillsDefaults() throws {
        let spec = DemoSpec(task: .newsHeadline, users: 10, seed: 99, profileSize: 30...50, questionsPerUser: 2,
                            trainFraction: 0.5)
        let data = try JSONEncoder().encode(spec)
        XCTAssertEqual(try JSONDecoder().decode(DemoSpec.self, from: data), spec)
        let minimal = try JSONDecoder().decode(DemoSpec.self, from: Data("{\"task\": \"LaMP_3\"}".utf8))
        XCTAssertEqual(minimal, DemoSpec(task: .productRating))
        XCTAssertThrowsError(try JSONDecoder().decode(DemoSpec.self, from: Data("{\"task\": \"LaMP_9\"}".utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(
            DemoSpec.self, from: Data("{\"task\": \"LaMP_2\", \"profile_min\": 9, \"profile_max\": 3}".utf8)))
    }

    func testSpec_TrainUserCount_KeepsBothSplitsNonEmpty() {
        XCTAssertEqual(DemoSpec(task: .movieTag, users: 36).trainUserCount, 24)
        XCTAssertEqual(DemoSpec(task: .movieTag, users: 2, trainFraction: 1).trainUserCount, 1)
        XCTAssertEqual(DemoSpec(task: .movieTag, users: 2, trainFraction: 0).trainUserCount, 1)
        XCTAssertEqual(DemoSpec(task: .movieTag, users: 1, trainFraction: 0.2).trainUserCount, 0)
    }
}
