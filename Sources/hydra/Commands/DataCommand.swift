import ArgumentParser
import DemoData
import Foundation
import LaMP

/// `hydra data validate|stats|demo`.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Validate, describe and generate LaMP datasets.",
        subcommands: [Validate.self, Stats.self, Demo.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a LaMP directory (or one questions/outputs file); exits non-zero with a precise error.")
        @Argument(help: "A LaMP dataset directory, or a single *_questions.json / *_outputs.json file.")
        var path: String
        @Option(help: "The task, when it cannot be read from the data.") var task: String?

        func run() async throws {
            try await CLI.guarded {
                let task = try task.map { try LaMPTask.parse($0) }
                let url = URL(fileURLWithPath: path)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    if url.lastPathComponent.hasSuffix("_outputs.json") {
                        let outputs = try LaMPOutputsReader.load(file: url)
                        try LaMPValidation.checkGoldLabels(outputs.golds, task: outputs.task, file: url.path)
                        CLI.show("ok: \(url.path): \(outputs.task.rawValue), \(outputs.golds.count) golds")
                    } else {
                        let questions = try LaMPQuestionsReader.load(file: url)
                        let detected = try task ?? TaskDetection.detect(questions: questions, file: url.path)
                        try LaMPValidation.checkProfiles(
                            questions, task: detected, file: url.path, taskNamedBy: task == nil ? nil : "--task")
                        CLI.show("ok: \(url.path): \(detected.rawValue), \(questions.count) questions")
                    }
                    return
                }
                let dataset = try DatasetLoading.load(path, task: task)
                for split in dataset.splits {
                    let users = UserIndex(questions: split.questions).users.count
                    CLI.show("ok: \(split.split.rawValue): \(split.questions.count) questions, \(users) users"
                          + (split.golds.map { ", \($0.count) golds" } ?? ", no outputs file"))
                }
                CLI.show("ok: \(dataset.directory.path) is a valid \(dataset.task.rawValue) dataset")
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Users, questions, profile sizes and answers per split.")
        @Argument(help: "A LaMP dataset directory.") var path: String
        @Option(help: "The task, when it cannot be read from the data.") var task: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.guarded {
                let dataset = try DatasetLoading.load(path, task: task.map { try LaMPTask.parse($0) })
                let stats = DatasetStats(dataset: dataset)
                if json { return try CLI.printJSON(stats) }
                CLI.show("\(dataset.directory.path): \(stats.task.rawValue)")
                var table = TextTable(header: ["split", "questions", "users", "profile min", "median", "max"],
                                      rightAligned: [1, 2, 3, 4, 5])
                for split in stats.splits {
                    table.rows.append([split.split.rawValue, "\(split.questions)", "\(split.users)",
                                       "\(split.profileSize.min)", String(format: "%.1f", split.profileSize.median),
                                       "\(split.profileSize.max)"])
                }
                CLI.show(table.render())
                for split in stats.splits {
                    guard let answers = split.answers, !answers.isEmpty else { continue }
                    CLI.show("\n\(split.split.rawValue) answers:")
                    var counts = TextTable(header: ["answer", "count"], rightAligned: [1])
                    for (answer, count) in answers.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                        counts.rows.append([answer, "\(count)"])
                    }
                    CLI.show(counts.render())
                }
            }
        }
    }
}

extension DataCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a LaMP-format demo dataset whose users have latent, documented preferences.",
            discussion: """
                Writes train/dev questions and outputs in LaMP format, plus demo_users.json with each \
                user's latent preference (favourite tags, rating bias, headline style).
                """)
        @Option(help: "LaMP_2 (movie tags), LaMP_3 (ratings), LaMP_4 (headlines) or LaMP_6 (subject lines of technical emails).") var task: String
        @Option(parsing: .unconditional, help: "Number of users (two thirds train, one third dev).") var users: Int = 36
        @Option(parsing: .unconditional, help: "Random seed; the same seed gives byte-identical files.") var seed: UInt64 = 7
        @Option(parsing: .unconditional, help: "Smallest profile.") var profileMin: Int = 20
        @Option(parsing: .unconditional, help: "Largest profile.") var profileMax: Int = 200
        @Option(parsing: .unconditional, help: "Questions per user.") var questionsPerUser: Int = 4
        @Option(help: "Output directory (created).") var out: String
        @Flag(help: "Print the summary as JSON.") var json = false

        func run() async throws {
            try await CLI.guarded {
                let task = try LaMPTask.parse(self.task, file: "--task")
                guard profileMin <= profileMax else {
                    throw ValidationError("--profile-min \(profileMin) is larger than --profile-max \(profileMax)")
                }
                let spec = DemoSpec(task: task, users: users, seed: seed, profileSize: profileMin...profileMax,
                                    questionsPerUser: questionsPerUser)
                let summary = try DemoGenerator(spec: spec).write(to: URL(fileURLWithPath: out))
                if json {
                    struct Output: Encodable {
                        var task: String, directory: String, files: [String]
                        var trainUsers: Int, devUsers: Int, trainQuestions: Int, devQuestions: Int, profileItems: Int
                    }
                    return try CLI.printJSON(Output(
                        task: task.rawValue, directory: summary.directory.path, files: summary.files.map(\.lastPathComponent),
                        trainUsers: summary.trainUsers, devUsers: summary.devUsers, trainQuestions: summary.trainQuestions,
                        devQuestions: summary.devQuestions, profileItems: summary.profileItems))
                }
                CLI.show("""
                    wrote \(task.rawValue) demo data to \(summary.directory.path)
                      train: \(summary.trainUsers) users, \(summary.trainQuestions) questions
                      dev:   \(summary.devUsers) users, \(summary.devQuestions) questions
                      profiles: \(summary.minProfileSize)–\(summary.maxProfileSize) items, \(summary.profileItems) in all
                      latent preferences: \(DemoGenerator.usersFileName)
                    """)
            }
        }
    }
}

/// Loading a dataset for a command, with a progress line on stderr for large files.
enum DatasetLoading {
    static func load(_ path: String, task: LaMPTask?, splits: [Split] = Split.allCases) throws -> LaMPDataset {
        let reporter = ProgressLine(label: "loading \(path)")
        defer { reporter.finish() }
        return try LaMPDataset.load(directory: URL(fileURLWithPath: path), task: task, splits: splits) { read, total in
            reporter.update(Double(read), of: Double(total), unit: 1e6, unitName: "MB")
        }
    }
}
