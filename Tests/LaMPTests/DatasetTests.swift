import Foundation
import Basics
import HydraBench
import XCTest

@testable import LaMP

final class DatasetTests: XCTestCase {
    // MARK: - Loading

    func testLoad_TaskFromOutputs_SplitsQuestionsAndGolds() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train_questions.json", movieQuestionsJSON([("1", ["comedy", "action"]), ("2", ["classic"])]))
        try dir.write("train_outputs.json", outputsJSON(task: "LaMP_2", [("2", "classic"), ("1", "comedy")]))
        try dir.write("dev_questions.json", movieQuestionsJSON([("9", ["fantasy"])]))
        var calls: [(Int, Int)] = []
        let data = try LaMPDataset.load(directory: dir.url) { calls.append(($0, $1)) }
        XCTAssertEqual(data.task, .movieTag)
        XCTAssertEqual(data.splits.map(\.split), [.train, .dev])
        XCTAssertEqual(data[.train]?.questions.map(\.id), ["1", "2"])
        XCTAssertEqual(data[.train]?.questions[0].profile[1], ProfileItem(id: "11", fields: ["description": "movie 1 of 1", "tag": "action"]))
        XCTAssertEqual(data[.train]?.golds, [Gold(id: "2", output: "classic"), Gold(id: "1", output: "comedy")])
        XCTAssertNil(data[.dev]?.golds)
        XCTAssertNil(data[.test])
        let total = ["train_questions.json", "train_outputs.json", "dev_questions.json"]
            .reduce(0) { $0 + LaMPDataset.fileSize(dir.url.appendingPathComponent($1)) }
        XCTAssertEqual(calls.last?.0, total)
        XCTAssertTrue(calls.allSatisfy { $0.1 == total })
        XCTAssertEqual(calls.map(\.0), calls.map(\.0).sorted())
    }

    func testLoad_SplitsArgument_LimitsFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train_questions.json", movieQuestionsJSON([("1", ["comedy"])]))
        try dir.write("dev_questions.json", "not json at all")
        let data = try LaMPDataset.load(directory: dir.url, splits: [.train])
        XCTAssertEqual(data.splits.map(\.split), [.train])
    }

    func testLoad_NumbersKeptAsTextAndUserIDRead() throws {
        let json = """
            [{"id": 110, "user_id": 42, "input": "What is the score of the following review on a scale of 1 to 5? \
            just answer with 1, 2, 3, 4, or 5 without further explanation. review: fine",
              "profile": [{"id": 5, "text": "ok", "score": 4, "helpful": true, "meta": {"x": [1]}, "date": null}]}]
            """
        let questions = try LaMPQuestionsReader.parse(Array(json.utf8), name: "q.json")
        XCTAssertEqual(questions, [
            Question(id: "110", input: questions[0].input, profile: [
                ProfileItem(id: "5", fields: ["text": "ok", "score": "4", "helpful": "true"])
            ], userID: "42")
        ])
    }

    // MARK: - Task detection

    func testDetect_EveryTaskFromItsOpening() {
        let inputs: [(String, LaMPTask)] = [
            ("For an author who has written the paper with the title \"A\", which reference is related? Just answer with [1] or [2] without explanation. [1]: \"B\" [2]: \"C\"", .citation),
            ("Which tag does this movie relate to among the following tags? Just answer with the tag name without further explanation. tags: [sci-fi, comedy] description: x", .movieTag),
            ("Which category does this article relate to among the following categories? Just answer with the category name without further explanation. categories: [women, religion] article: x", .newsCategory),
            ("What is the score of the following review on a scale of 1 to 5? just answer with 1, 2, 3, 4, or 5 without further explanation. review: x", .productRating),
            ("Generate a headline for the following article: x", .newsHeadline),
            ("Generate a title for the following abstract of a paper: x", .scholarlyTitle),
            ("Generate a subject for the following email: x", .emailSubject),
            ("Paraphrase the following tweet without any explanation before or after it: x", .tweetParaphrase),
        ]
        for (input, task) in inputs {
            XCTAssertEqual(TaskDetection.detect(input: input), task, input)
        }
        XCTAssertNil(TaskDetection.detect(input: "Summarize: x"))
    }

    func testDetect_MoviesVersusNewsByMarkers() {
        let labels = (LaMPTask.newsCategory.labels ?? []).joined(separator: ", ")
        XCTAssertEqual(TaskDetection.detect(input: "Pick one. categories: [\(labels)] article: a storm hits"), .newsCategory)
        XCTAssertEqual(TaskDetection.detect(input: "Pick one. tags: [sci-fi, comedy] description: a robot"), .movieTag)
        XCTAssertNil(TaskDetection.detect(input: "Pick one. article: a storm hits"))  // no category list
    }

    func testLoad_TaskArgumentWinsOverDetection() throws {
        let dir = try TemporaryDirectory()
        let json = "[{\"id\": \"1\", \"input\": \"Generate a headline for the following article: x\", \"profile\": [{\"id\": \"a\", \"text\": \"t\", \"title\": \"h\"}]}]"
        try dir.write("dev_questions.json", json)
        XCTAssertEqual(try LaMPDataset.load(directory: dir.url).task, .newsHeadline)
        XCTAssertEqual(try LaMPDataset.load(directory: dir.url, task: .emailSubject).task, .emailSubject)
    }

    func testLoad_OutputsSayLaMP2OverNewsInputs_IsLaMP2N() throws {
        let dir = try TemporaryDirectory()
        let labels = (LaMPTask.newsCategory.labels ?? []).joined(separator: ", ")
        let input = "Which category does this article relate to among the following categories? Just answer with the category name without further explanation. categories: [\(labels)] article: x"
        try dir.write("dev_questions.json", "[{\"id\": \"1\", \"input\": \"\(input)\", \"profile\": [{\"id\": \"a\", \"text\": \"t\", \"title\": \"h\", \"category\": \"sports\"}]}]")
        try dir.write("dev_outputs.json", outputsJSON(task: "LaMP_2", [("1", "sports")]))
        XCTAssertEqual(try LaMPDataset.load(directory: dir.url).task, .newsCategory)
        XCTAssertEqual(try LaMPDataset.load(directory: dir.url, task: .newsCategory).task, .newsCategory)
    }

    func testLoad_OutputsFilesDisagree_IsTaskMismatch() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train_questions.json", movieQuestionsJSON([("1", ["comedy"])]))
        try dir.write("dev_questions.json", movieQuestionsJSON([("2", ["comedy"])]))
        try dir.write("train_outputs.json", outputsJSON(task: "LaMP_2", [("1", "comedy")]))
        try dir.write("dev_outputs.json", outputsJSON(task: "LaMP_3", [("2", "3")]))
        let error = captureError { _ = try LaMPDataset.load(directory: dir.url) }
        XCTAssertEqual(error, .taskMismatch(file: dir.url.appendingPathComponent("dev_outputs.json").path, expected: .movieTag, found: .productRating))
    }

    // MARK: - Writer

    func testWriter_OutputsFormatMatchesPythonJSONDump() throws {
        let dir = try TemporaryDirectory()
        let file = dir.url.appendingPathComponent("preds.json")
        let golds = [Gold(id: "1", output: "a\"b\\c\n\té😀\u{1F}/"), Gold(id: "2", output: "")]
        try LaMPWriter.writeOutputs(golds, task: .movieTag, to: file, asciiOnly: true)
        // json.dumps({"task": "LaMP_2", "golds": [...]}) with the default ensure_ascii=True
        let expected = #"{"task": "LaMP_2", "golds": [{"id": "1", "output": "a\"b\\c\n\t\u00e9\ud83d\ude00\u001f/"}, {"id": "2", "output": ""}]}"#
        XCTAssertEqual(String(decoding: try Data(contentsOf: file), as: UTF8.self), expected)

        try LaMPWriter.writeOutputs(golds, task: .movieTag, to: file)  // ensure_ascii=False
        let raw = #"{"task": "LaMP_2", "golds": [{"id": "1", "output": "a\"b\\c\n\té😀\u001f/"}, {"id": "2", "output": ""}]}"#
        XCTAssertEqual(String(decoding: try Data(contentsOf: file), as: UTF8.self), raw)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path), ["preds.json"])  // no temp left
        XCTAssertEqual(try LaMPOutputsReader.load(file: file), LaMPOutputs(task: .movieTag, golds: golds))
    }

    func testWriter_QuestionsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let questions = [
            Question(id: "q1", input: "Generate a headline for the following article: «x» \"y\"", profile: [
                ProfileItem(id: "p1", fields: ["text": "line\nbreak 中文 🎬", "title": "T\\1", "date": "2020"]),
                ProfileItem(id: "", fields: ["text": "", "title": "\u{0}"]),
            ], userID: "u7"),
            Question(id: "q2", input: "Generate a headline for the following article: z", profile: [
                ProfileItem(id: "p3", fields: ["text": "t", "title": "h"])
            ]),
        ]
        for ascii in [true, false] {
            try LaMPWriter.writeQuestions(questions, task: .newsHeadline, to: dir.url.appendingPathComponent("dev_questions.json"), asciiOnly: ascii)
            try LaMPWriter.writeOutputs([Gold(id: "q1", output: "H1"), Gold(id: "q2", output: "H2")], task: .newsHeadline,
                                        to: dir.url.appendingPathComponent("dev_outputs.json"), asciiOnly: ascii)
            let data = try LaMPDataset.load(directory: dir.url)
            XCTAssertEqual(data.task, .newsHeadline)
            XCTAssertEqual(data[.dev]?.questions, questions)
            XCTAssertEqual(data[.dev]?.golds?.map(\.output), ["H1", "H2"])
        }
        let text = String(decoding: try Data(contentsOf: dir.url.appendingPathComponent("dev_questions.json")), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"[{"id": "q1", "input": "#), text)
        XCTAssertTrue(text.contains(#"{"id": "p1", "text": "line\nbreak 中文 🎬", "title": "T\\1", "date": "2020"}"#), text)
        XCTAssertTrue(text.contains(#"], "user_id": "u7"}"#))
    }

    // MARK: - Users and stats

    private func item(_ id: String, _ tag: String) -> ProfileItem {
        ProfileItem(id: id, fields: ["description": "d\(id)", "tag": tag])
    }

    func testUsers_IdenticalProfilesShareAUser_ElseQuestionID() {
        let a = [item("1", "comedy"), item("2", "action")]
        let questions = [
            Question(id: "q1", input: "", profile: a),
            Question(id: "q2", input: "", profile: [item("3", "classic")]),
            Question(id: "q3", input: "", profile: a),
            Question(id: "q4", input: "", profile: [item("1", "comedy"), item("2", "drama")]),  // one field differs
            Question(id: "q5", input: "", profile: [item("2", "action"), item("1", "comedy")]),  // other order
        ]
        let index = UserIndex(questions: questions)
        XCTAssertEqual(index.users.map(\.id), ["q1", "q2", "q4", "q5"])
        XCTAssertEqual(index.users[0].questionIndices, [0, 2])
        XCTAssertEqual(index.users[0].profile, a)
        XCTAssertEqual(index.userOfQuestion, [0, 1, 0, 2, 3])
        XCTAssertEqual(index.user(ofQuestion: 4).id, "q5")
    }

    func testUsers_ExplicitUserIDWins() {
        let questions = [
            Question(id: "q1", input: "", profile: [item("1", "comedy")], userID: "u1"),
            Question(id: "q2", input: "", profile: [item("2", "comedy")], userID: "u1"),
            Question(id: "q3", input: "", profile: [item("1", "comedy")], userID: "u2"),
            Question(id: "q4", input: "", profile: [item("1", "comedy")]),
        ]
        let index = UserIndex(questions: questions)
        XCTAssertEqual(index.users.map(\.id), ["u1", "u2", "q4"])
        XCTAssertEqual(index.users.map(\.questionIndices), [[0, 1], [2], [3]])
    }

    func testStats_UsersProfileSpreadAndAnswers() throws {
        let dir = try TemporaryDirectory()
        try dir.write("dev_questions.json", movieQuestionsJSON([("1", ["comedy"]), ("2", ["comedy", "action", "classic"]), ("3", ["a", "b", "c", "d", "e", "f"]), ("4", ["a", "b"])]))
        try dir.write("dev_outputs.json", outputsJSON(task: "LaMP_2", [("1", "comedy"), ("2", " comedy "), ("3", "action"), ("4", "classic")]))
        let stats = DatasetStats(dataset: try LaMPDataset.load(directory: dir.url))
        XCTAssertEqual(stats.task, .movieTag)
        let dev = try XCTUnwrap(stats.splits.first)
        XCTAssertEqual(dev.questions, 4)
        XCTAssertEqual(dev.users, 4)
        XCTAssertEqual(dev.profileSize, DatasetStats.Spread([1, 3, 6, 2]))
        XCTAssertEqual(dev.profileSize.min, 1)
        XCTAssertEqual(dev.profileSize.median, 2.5)
        XCTAssertEqual(dev.profileSize.max, 6)
        XCTAssertEqual(dev.answers?["comedy"], 2)
        XCTAssertEqual(dev.answers?["action"], 1)
        XCTAssertEqual(dev.answers?["classic"], 1)
        XCTAssertEqual(dev.answers?["sci-fi"], 0)
        let json = try JSONEncoder().encode(stats)
        XCTAssertEqual(try JSONDecoder().decode(DatasetStats.self, from: json), stats)
    }
}

final class LoadBenchmarkTests: XCTestCase {
    func testMeasure_ReportsSizeAndTime_PeakRSSReadable() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("q.json", movieQuestionsJSON((1...200).map { (String($0), ["comedy", "action"]) }))
        let run = try LaMPLoadBenchmark.measure(file: file)
        XCTAssertEqual(run.megabytes, Double(LaMPDataset.fileSize(file)) / 1e6)
        XCTAssertGreaterThan(run.seconds, 0)
        #if os(Linux)
            XCTAssertGreaterThan(ProcessMemory.peakResidentBytes() ?? 0, 1_000_000)
        #endif
        XCTAssertThrowsError(try LaMPLoadBenchmark.measure(file: dir.url.appendingPathComponent("missing.json")))
    }
}
