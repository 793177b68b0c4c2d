import Foundation

/// The content of an outputs file (`{"task": "LaMP_2", "golds": [{"id", "output"}]}`): golds
/// or predictions.
public struct LaMPOutputs: Sendable, Equatable {
    /// The task named by the file.
    public var task: LaMPTask
    /// The answers in file order.
    public var golds: [Gold]

    /// An outputs file's content.
    public init(task: LaMPTask, golds: [Gold]) {
        self.task = task
        self.golds = golds
    }
}

/// Reads LaMP questions files straight from their bytes into `Question` records.
///
/// A questions file is a JSON list of `{"id", "input", "profile": [{"id", ...fields}]}` with an
/// optional `user_id`. Ids and field values may be strings or numbers (numbers keep their text);
/// other fields are skipped. Checks done here: types, required fields, non-empty profiles and
/// unique question ids. The task's profile fields are checked later by `LaMPValidation`, once the
/// task is known.
public enum LaMPQuestionsReader {
    /// Loads a questions file.
    ///
    /// - Parameters:
    ///   - file: the `{split}_questions.json` file.
    ///   - progress: called with bytes read and total, once per chunk.
    /// - Returns: the questions in file order.
    /// - Throws: `LaMPDataError`.
    public static func load(file: URL, progress: LaMPLoadProgress? = nil) throws -> [Question] {
        let reader = try JSONByteReader(file: file, progress: progress)
        return try read(reader)
    }

    /// Parses questions from bytes in memory; `name` stands for the file in errors.
    public static func parse(_ bytes: [UInt8], name: String) throws -> [Question] {
        try read(JSONByteReader(bytes: bytes, name: name))
    }

    private static func read(_ reader: JSONByteReader) throws -> [Question] {
        let file = reader.fileName
        try reader.skipByteOrderMark()
        let top = try reader.kind()
        guard top == .array else {
            throw LaMPDataError.wrongType(
                file: file, path: "(top level)", expected: "a list of questions", found: top.phrase)
        }
        var questions: [Question] = []
        var firstIndex: [String: Int] = [:]
        try reader.readArray { i in
            let question = try readQuestion(reader, index: i)
            if let first = firstIndex[question.id] {
                throw LaMPDataError.duplicateID(file: file, path: "[\(i)].id", id: question.id, firstPath: "[\(first)].id")
            }
            firstIndex[question.id] = i
            questions.append(question)
        }
        try reader.finish()
        return questions
    }

    private static func readQuestion(_ reader: JSONByteReader, index i: Int) throws -> Question {
        let file = reader.fileName
        let kind = try reader.kind()
        guard kind == .object else {
            throw LaMPDataError.wrongType(file: file, path: "[\(i)]", expected: "a question object", found: kind.phrase)
        }
        var id: String?
        var input: String?
        var profile: [ProfileItem]?
        var userID: String?
        try reader.readObject { key in
            switch key {
            case "id":
                id = try reader.readScalarText(path: "[\(i)].id")
            case "input":
                let kind = try reader.kind()
                guard kind == .string else {
                    throw LaMPDataError.wrongType(file: file, path: "[\(i)].input", expected: "a string", found: kind.phrase)
                }
                input = try reader.readString()
            case "profile":
                profile = try readProfile(reader, question: i)
            case "user_id":
                userID = try reader.readScalarText(path: "[\(i)].user_id")
            default:
                try reader.skipValue()
            }
        }
        guard let id else { throw LaMPDataError.missingField(file: file, path: "[\(i)]", field: "id") }
        guard let input else { throw LaMPDataError.missingField(file: file, path: "[\(i)]", field: "input") }
        guard let profile else { throw LaMPDataError.missingField(file: file, path: "[\(i)]", field: "profile") }
        guard !profile.isEmpty else {
            throw LaMPDataError.emptyProfile(file: file, path: "[\(i)].profile", questionID: id)
        }
        return Question(id: id, input: input, profile: profile, userID: userID)
    }

    /// A profile list. Item fields that are `null`, objects or lists are left out of `fields`.
    private static func readProfile(_ reader: JSONByteReader, question i: Int) throws -> [ProfileItem] {
        let file = reader.fileName
        let kind = try reader.kind()
        guard kind == .array else {
            throw LaMPDataError.wrongType(file: file, path: "[\(i)].profile", expected: "a list", found: kind.phrase)
        }
        var items: [ProfileItem] = []
        try reader.readArray { j in
            let kind = try reader.kind()
            guard kind == .object else {
                throw LaMPDataError.wrongType(
                    file: file, path: "[\(i)].profile[\(j)]", expected: "a profile item object", found: kind.phrase)
            }
            // three fields fit the dictionary's smallest table (4 buckets) without regrowing
            var item = ProfileItem(id: "", fields: Dictionary(minimumCapacity: 3))
            try reader.readObject { key in
                let value: String
                switch try reader.kind() {
                case .string: value = try reader.readString()
                case .number: value = try reader.readNumberText()
                case .bool: value = try reader.readBool() ? "true" : "false"
                case .null, .object, .array:
                    try reader.skipValue()
                    return
                }
                if key == "id" { item.id = value } else { item.fields[key] = value }
            }
            items.append(item)
        }
        return items
    }
}

/// Reads LaMP outputs files (golds or predictions).
public enum LaMPOutputsReader {
    /// Loads an outputs file.
    ///
    /// - Parameters:
    ///   - file: the `{split}_outputs.json` file.
    ///   - progress: called with bytes read and total, once per chunk.
    /// - Returns: the task and the golds in file order.
    /// - Throws: `LaMPDataError` (malformed JSON, wrong types, missing `task` or `golds`,
    ///   unknown task, duplicate ids).
    public static func load(file: URL, progress: LaMPLoadProgress? = nil) throws -> LaMPOutputs {
        try read(JSONByteReader(file: file, progress: progress))
    }

    /// Parses an outputs file from bytes in memory; `name` stands for the file in errors.
    public static func parse(_ bytes: [UInt8], name: String) throws -> LaMPOutputs {
        try read(JSONByteReader(bytes: bytes, name: name))
    }

    private static func read(_ reader: JSONByteReader) throws -> LaMPOutputs {
        let file = reader.fileName
        try reader.skipByteOrderMark()
        let top = try reader.kind()
        guard top == .object else {
            throw LaMPDataError.wrongType(
                file: file, path: "(top level)", expected: "an object with \"task\" and \"golds\"", found: top.phrase)
        }
        var task: LaMPTask?
        var golds: [Gold]?
        try reader.readObject { key in
            switch key {
            case "task":
                let kind = try reader.kind()
                guard kind == .string else {
                    throw LaMPDataError.wrongType(file: file, path: "task", expected: "a string", found: kind.phrase)
                }
                task = try LaMPTask.parse(try reader.readString(), file: file, path: "task")
            case "golds":
                golds = try readGolds(reader)
            default:
                try reader.skipValue()
            }
        }
        try reader.finish()
        guard let task else { throw LaMPDataError.missingField(file: file, path: "(top level)", field: "task") }
        guard let golds else { throw LaMPDataError.missingField(file: file, path: "(top level)", field: "golds") }
        return LaMPOutputs(task: task, golds: golds)
    }

    private static func readGolds(_ reader: JSONByteReader) throws -> [Gold] {
        let file = reader.fileName
        let kind = try reader.kind()
        guard kind == .array else {
            throw LaMPDataError.wrongType(file: file, path: "golds", expected: "a list", found: kind.phrase)
        }
        var golds: [Gold] = []
        var firstIndex: [String: Int] = [:]
        try reader.readArray { i in
            let path = "golds[\(i)]"
            let kind = try reader.kind()
            guard kind == .object else {
                throw LaMPDataError.wrongType(file: file, path: path, expected: "an object", found: kind.phrase)
            }
            var id: String?
            var output: String?
            try reader.readObject { key in
                switch key {
                case "id": id = try reader.readScalarText(path: "\(path).id")
                case "output": output = try reader.readScalarText(path: "\(path).output")
                default: try reader.skipValue()
                }
            }
            guard let id else { throw LaMPDataError.missingField(file: file, path: path, field: "id") }
            guard let output else { throw LaMPDataError.missingField(file: file, path: path, field: "output") }
            if let first = firstIndex[id] {
                throw LaMPDataError.duplicateID(file: file, path: "\(path).id", id: id, firstPath: "golds[\(first)].id")
            }
            firstIndex[id] = i
            golds.append(Gold(id: id, output: output))
        }
        return golds
    }
}
