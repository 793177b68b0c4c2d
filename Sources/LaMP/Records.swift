/// One item of a user's history (a LaMP profile entry).
///
/// Fields differ per task (`description` and `tag` for LaMP_2, `text` and `score` for LaMP_3, …),
/// so they are kept as strings by name; numbers in the JSON are kept in their textual form.
public struct ProfileItem: Hashable, Sendable {
    /// The item's id as written in the file (may be empty in hand-made files).
    public var id: String
    /// Every field of the item except `id`, by name.
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    /// The named field, or the empty string when the item lacks it.
    public subscript(field: String) -> String { fields[field] ?? "" }
}

/// One LaMP question: an input text and the asking user's profile.
public struct Question: Hashable, Sendable {
    public var id: String
    public var input: String
    public var profile: [ProfileItem]
    /// The explicit `user_id` field, when the file has one.
    public var userID: String?

    public init(id: String, input: String, profile: [ProfileItem], userID: String? = nil) {
        self.id = id
        self.input = input
        self.profile = profile
        self.userID = userID
    }
}

/// A known answer (or a prediction: LaMP writes both in the same format).
public struct Gold: Hashable, Sendable, Codable {
    public var id: String
    public var output: String

    public init(id: String, output: String) {
        self.id = id
        self.output = output
    }
}

/// One of LaMP's splits.
public enum Split: String, CaseIterable, Codable, Sendable {
    case train, dev, test
}
