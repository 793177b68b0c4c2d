import Foundation

/// A LaMP dataset directory, loaded and validated.
///
/// The directory holds `{split}_questions.json` and, where answers are known,
/// `{split}_outputs.json`, for the splits `train`, `dev`, `test`.
public struct LaMPDataset: Sendable {
    /// One split's questions and, when its outputs file exists, golds.
    public struct SplitData: Sendable {
        /// Which split.
        public var split: Split
        /// The questions in file order.
        public var questions: [Question]
        /// The golds in file order, or nil without an outputs file.
        public var golds: [Gold]?
        /// The questions file.
        public var questionsFile: URL
        /// The outputs file, when there is one.
        public var outputsFile: URL?

        /// One split's data; `golds` and `outputsFile` are nil without an outputs file.
        public init(split: Split, questions: [Question], golds: [Gold]?, questionsFile: URL, outputsFile: URL?) {
            self.split = split
            self.questions = questions
            self.golds = golds
            self.questionsFile = questionsFile
            self.outputsFile = outputsFile
        }
    }

    /// The dataset directory.
    public var directory: URL
    /// The task of every split.
    public var task: LaMPTask
    /// The splits found, in `Split.allCases` order.
    public var splits: [SplitData]

    /// A dataset from parts already loaded (no checks).
    public init(directory: URL, task: LaMPTask, splits: [SplitData]) {
        self.directory = directory
        self.task = task
        self.splits = splits
    }

    /// The data of one split, if it was loaded.
    public subscript(split: Split) -> SplitData? {
        splits.first { $0.split == split }
    }

    /// The questions file of a split inside `directory`.
    public static func questionsFile(_ directory: URL, _ split: Split) -> URL {
        directory.appendingPathComponent("\(split.rawValue)_questions.json")
    }

    /// The outputs file of a split inside `directory`.
    public static func outputsFile(_ directory: URL, _ split: Split) -> URL {
        directory.appendingPathComponent("\(split.rawValue)_outputs.json")
    }

    /// Loads and validates a dataset directory.
    ///
    /// The task comes from the outputs files' `task` field, else from `task`, else is detected
    /// from the inputs. `task` wins over detection, but disagreeing with an outputs file is an
    /// error. An outputs file saying `LaMP_2` over news-category inputs is read as LaMP_2N (the
    /// older LaMP_2). A split with an outputs file but no questions file is ignored.
    ///
    /// Checks: everything `LaMPQuestionsReader` and `LaMPOutputsReader` check, questions whose
    /// inputs are of the task the outputs file names, the task's profile fields on every item, golds whose ids
    /// are exactly the questions' ids and, for classification and rating tasks, golds among the
    /// task's labels. Every command that loads a dataset goes through here, so each reports the
    /// same first error.
    ///
    /// - Parameters:
    ///   - directory: the dataset directory.
    ///   - task: the task, when known.
    ///   - splits: which splits to load (those whose questions file exists).
    ///   - progress: bytes read and total over all files of the load.
    /// - Returns: the dataset.
    /// - Throws: `LaMPDataError`.
    public static func load(
        directory: URL, task: LaMPTask? = nil, splits: [Split] = Split.allCases,
        progress: LaMPLoadProgress? = nil
    ) throws -> LaMPDataset {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw LaMPDataError.unreadableFile(file: directory.path, reason: "no such directory")
        }
        guard isDirectory.boolValue else { throw LaMPDataError.notADirectory(path: directory.path) }
        let present = Split.allCases.filter { splits.contains($0) }
            .filter { fm.fileExists(atPath: questionsFile(directory, $0).path) }
        guard !present.isEmpty else { throw LaMPDataError.noQuestionsFile(directory: directory.path) }

        // progress over every file of the load
        let files = present.flatMap { [questionsFile(directory, $0), outputsFile(directory, $0)] }
            .filter { fm.fileExists(atPath: $0.path) }
        let total = files.reduce(0) { $0 + fileSize($1) }
        var done = 0
        func reporter(_ file: URL) -> LaMPLoadProgress? {
            guard let progress else { return nil }
            let base = done
            return { read, _ in progress(base + read, total) }
        }

        // outputs first: they name the task
        var outputs: [Split: LaMPOutputs] = [:]
        var fileTask: (task: LaMPTask, file: URL)?
        for split in present {
            let file = outputsFile(directory, split)
            guard fm.fileExists(atPath: file.path) else { continue }
            let read = try LaMPOutputsReader.load(file: file, progress: reporter(file))
            done += fileSize(file)
            if let fileTask, fileTask.task != read.task {
                throw LaMPDataError.taskMismatch(file: file.path, expected: fileTask.task, found: read.task)
            }
            fileTask = (read.task, file)
            outputs[split] = read
        }

        var loaded: [SplitData] = []
        for split in present {
            let file = questionsFile(directory, split)
            let questions = try LaMPQuestionsReader.load(file: file, progress: reporter(file))
            done += fileSize(file)
            loaded.append(
                SplitData(
                    split: split, questions: questions, golds: outputs[split]?.golds, questionsFile: file,
                    outputsFile: outputs[split] == nil ? nil : outputsFile(directory, split)))
        }

        let resolved = try resolveTask(given: task, fileTask: fileTask, first: loaded[0])
        // Questions of another task than the outputs file names are an error in the data. A task
        // the caller gives wins over detection (inputs can be worded differently), so it is
        // blamed only when the profiles do not fit it either.
        if let outputsFile = fileTask?.file {
            for data in loaded {
                try LaMPValidation.checkQuestionsTask(
                    data.questions, task: resolved, file: data.questionsFile.path, source: outputsFile.path)
            }
        }
        for data in loaded {
            try LaMPValidation.checkProfiles(
                data.questions, task: resolved, file: data.questionsFile.path,
                taskNamedBy: fileTask == nil && task != nil ? "the task given" : nil)
            if let golds = data.golds, let outputsFile = data.outputsFile {
                try LaMPValidation.checkGolds(
                    golds, match: data.questions, questionsFile: data.questionsFile.path,
                    outputsFile: outputsFile.path)
                try LaMPValidation.checkGoldLabels(golds, task: resolved, file: outputsFile.path)
            }
        }
        progress?(total, total)
        return LaMPDataset(directory: directory, task: resolved, splits: loaded)
    }

    /// Combines the caller's task, the outputs files' task and detection (see `load`).
    static func resolveTask(
        given: LaMPTask?, fileTask: (task: LaMPTask, file: URL)?, first: SplitData
    ) throws -> LaMPTask {
        let path = first.questionsFile.path
        if let fileTask {
            var named = fileTask.task
            if named == .movieTag, given == .newsCategory
                || (given == nil && (try? TaskDetection.detect(questions: first.questions, file: path)) == .newsCategory)
            {
                named = .newsCategory  // the older LaMP_2 outputs say LaMP_2 for news categories
            }
            if let given, given != named {
                throw LaMPDataError.taskMismatch(file: fileTask.file.path, expected: given, found: fileTask.task)
            }
            return named
        }
        if let given { return given }
        return try TaskDetection.detect(questions: first.questions, file: path)
    }

    static func fileSize(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
