/// A LaMP user: an id, a profile (history items) and the questions they asked.
public struct User: Sendable, Hashable {
    /// The user's id: the explicit `user_id`, else the id of the user's first question.
    public var id: String
    /// The user's history items.
    public var profile: [ProfileItem]
    /// Indices into the question list the index was built from, in order.
    public var questionIndices: [Int]

    /// A user from parts.
    public init(id: String, profile: [ProfileItem], questionIndices: [Int]) {
        self.id = id
        self.profile = profile
        self.questionIndices = questionIndices
    }
}

/// Groups questions into users.
///
/// Rules, per question: an explicit `user_id` names the user; without one, questions whose
/// profiles are identical (same items in the same order, ids and fields equal) belong to one
/// user, named after the first such question's id; a profile seen once makes a user named after
/// its question. Profiles are grouped by hash and compared exactly, so a hash collision never
/// merges two users. A user named by `user_id` keeps the profile of their first question.
public struct UserIndex: Sendable {
    /// The users, in order of their first question.
    public let users: [User]
    /// For each question, the index of its user in `users`.
    public let userOfQuestion: [Int]

    /// Groups `questions` into users.
    public init(questions: [Question]) {
        var users: [User] = []
        var userOfQuestion: [Int] = []
        userOfQuestion.reserveCapacity(questions.count)
        var byUserID: [String: Int] = [:]
        var byProfile: [[ProfileItem]: Int] = [:]  // hashed, then compared exactly on collision
        for (q, question) in questions.enumerated() {
            let u: Int
            if let userID = question.userID {
                if let known = byUserID[userID] {
                    u = known
                } else {
                    u = users.count
                    byUserID[userID] = u
                    users.append(User(id: userID, profile: question.profile, questionIndices: []))
                }
            } else if let known = byProfile[question.profile] {
                u = known
            } else {
                u = users.count
                byProfile[question.profile] = u
                users.append(User(id: question.id, profile: question.profile, questionIndices: []))
            }
            users[u].questionIndices.append(q)
            userOfQuestion.append(u)
        }
        self.users = users
        self.userOfQuestion = userOfQuestion
    }

    /// The user who asked question `index`.
    public func user(ofQuestion index: Int) -> User {
        users[userOfQuestion[index]]
    }
}
