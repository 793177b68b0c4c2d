/// Recognises the LaMP task from a question's input text (HYDRA.md §2, "input begins with").
public enum TaskDetection {
    /// The opening words of each task's inputs, checked in order, case-insensitively.
    static let openings: [(String, LaMPTask)] = [
        ("for an author who has written the paper with the title", .citation),
        ("which tag does this movie relate to", .movieTag),
        ("which category does this article relate to", .newsCategory),
        ("what is the score of the following review", .productRating),
        ("generate a headline for the following article", .newsHeadline),
        ("generate a title for the following abstract of a paper", .scholarlyTitle),
        ("generate a subject for the following email", .emailSubject),
        ("paraphrase the following tweet", .tweetParaphrase),
    ]

    /// The task an input belongs to, or nil.
    ///
    /// Inputs are matched by their opening words. Failing that, the classification inputs are
    /// told apart by their markers: `tags:` … `description:` is LaMP_2 (movies), and
    /// `article:` together with the news category list is LaMP_2N.
    public static func detect(input: String) -> LaMPTask? {
        let head = PythonText.strip(String(input.prefix(200))).lowercased()
        for (opening, task) in openings where head.hasPrefix(opening) {
            return task
        }
        let lower = input.lowercased()
        if lower.contains("description:"), lower.contains("tags:") {
            return .movieTag
        }
        if lower.contains("article:"), mentionsNewsCategories(lower) {
            return .newsCategory
        }
        return nil
    }

    /// Whether most news category names appear before `article:` (the LaMP_2N label list).
    static func mentionsNewsCategories(_ lower: String) -> Bool {
        guard let labels = LaMPTask.newsCategory.labels, let marker = lower.range(of: "article:") else {
            return false
        }
        let head = lower[..<marker.lowerBound]
        return labels.filter { head.contains($0) }.count * 2 > labels.count
    }

    /// The task of a list of questions, from the first `sample` inputs, which must agree.
    ///
    /// - Parameters:
    ///   - questions: the questions of one file.
    ///   - file: the file, for errors.
    ///   - sample: how many inputs to look at.
    /// - Returns: the task.
    /// - Throws: `undetectableTask` naming the first input that fits no task, or
    ///   `taskMismatch` when two inputs look like different tasks.
    public static func detect(questions: [Question], file: String, sample: Int = 100) throws -> LaMPTask {
        var found: LaMPTask?
        for (i, question) in questions.prefix(sample).enumerated() {
            guard let task = detect(input: question.input) else {
                throw LaMPDataError.undetectableTask(
                    file: file, path: "[\(i)].input", inputStart: String(question.input.prefix(60)))
            }
            if let found, found != task {
                throw LaMPDataError.taskMismatch(file: file, expected: found, found: task)
            }
            found = task
        }
        guard let found else {
            throw LaMPDataError.undetectableTask(file: file, path: "(top level)", inputStart: "")
        }
        return found
    }
}

/// Checks that the questions carry what their task needs.
public enum LaMPValidation {
    /// Throws `missingField` for the first profile item lacking one of `task.profileFields`.
    ///
    /// - Parameters:
    ///   - questions: the questions of one file.
    ///   - task: their task.
    ///   - file: the file, for errors.
    public static func checkProfiles(_ questions: [Question], task: LaMPTask, file: String) throws {
        let required = task.profileFields
        for (i, question) in questions.enumerated() {
            for (j, item) in question.profile.enumerated() {
                for field in required where item.fields[field] == nil {
                    throw LaMPDataError.missingField(file: file, path: "[\(i)].profile[\(j)]", field: field)
                }
            }
        }
    }

    /// `checkProfiles`, except that when a profile lacks a field and the inputs are recognisably
    /// of another task than the one `taskNamedBy` (say `--task`) named, the error says that.
    public static func checkProfiles(_ questions: [Question], task: LaMPTask, file: String, taskNamedBy source: String?) throws {
        do {
            try checkProfiles(questions, task: task, file: file)
        } catch let error as LaMPDataError {
            if case .missingField = error, let source {
                try checkQuestionsTask(questions, task: task, file: file, source: source)
            }
            throw error
        }
    }

    /// Throws `questionsOfAnotherTask` when the questions' inputs are recognisably of another task
    /// than `task`, which `source` (an outputs file, or `--task`) named. Checked before the
    /// profile fields, so a LaMP_3 outputs file beside LaMP_2 questions is reported as such rather
    /// than as a missing profile field. Inputs that fit no task are left to the other checks.
    ///
    /// LaMP_2 outputs over news-category inputs are the older LaMP_2 (LaMP_2N) and are accepted.
    public static func checkQuestionsTask(_ questions: [Question], task: LaMPTask, file: String, source: String) throws {
        guard let detected = try? TaskDetection.detect(questions: questions, file: file), detected != task else { return }
        let olderNewsCategory = task == .movieTag && detected == .newsCategory
        guard !olderNewsCategory else { return }
        throw LaMPDataError.questionsOfAnotherTask(questionsFile: file, detected: detected, source: source, named: task)
    }

    /// Throws `goldOutsideLabels` for the first gold that is not one of the task's labels
    /// (LaMP_1 `[1]`/`[2]`, LaMP_2's tags, LaMP_2N's categories, LaMP_3's `1` … `5`); LaMP's
    /// evaluator scores such a gold as no class at all. Surrounding whitespace is allowed, as the
    /// evaluator strips it. Generation tasks have no label set and pass.
    public static func checkGoldLabels(_ golds: [Gold], task: LaMPTask, file: String) throws {
        guard let labels = task.labels else { return }
        let allowed = Set(labels)
        for (i, gold) in golds.enumerated() where !allowed.contains(PythonText.strip(gold.output)) {
            throw LaMPDataError.goldOutsideLabels(
                file: file, path: "golds[\(i)].output", id: gold.id, value: gold.output, task: task)
        }
    }

    /// Throws `goldsMismatch` unless the golds' ids are exactly the questions' ids.
    ///
    /// - Parameters:
    ///   - questions: the questions.
    ///   - golds: their golds (or predictions).
    ///   - questionsFile: the questions file, for the error.
    ///   - outputsFile: the outputs file, for the error.
    public static func checkGolds(
        _ golds: [Gold], match questions: [Question], questionsFile: String, outputsFile: String
    ) throws {
        let questionIDs = Set(questions.map(\.id))
        let goldIDs = Set(golds.map(\.id))
        guard questionIDs != goldIDs else { return }
        let missing = questions.map(\.id).filter { !goldIDs.contains($0) }
        let extra = golds.map(\.id).filter { !questionIDs.contains($0) }
        throw LaMPDataError.goldsMismatch(
            questionsFile: questionsFile, outputsFile: outputsFile,
            missing: Array(missing.prefix(LaMPDataError.listedIDs)), missingCount: missing.count,
            extra: Array(extra.prefix(LaMPDataError.listedIDs)), extraCount: extra.count)
    }
}
