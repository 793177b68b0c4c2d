import Foundation
import Numerics

/// Errors of the factorized model and its training loops.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// A user's features have `got` columns where the model takes `expected`.
    case featureWidth(userID: String, expected: Int, got: Int)
    /// A user's example count differs between features and labels.
    case labelCount(userID: String, rows: Int, labels: Int)
    /// A label is not 0 or 1.
    case badLabel(userID: String, index: Int, label: Int)
    /// The user id is not in the model.
    case unknownUser(String)
    /// The user id occurs twice.
    case duplicateUser(String)
    /// A training setting is out of range.
    case invalidSetting(name: String, value: String)
    /// Training stopped because it was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case let .featureWidth(user, expected, got): return "user \(user): features have \(got) columns, model takes \(expected)"
        case let .labelCount(user, rows, labels): return "user \(user): \(rows) feature rows but \(labels) labels"
        case let .badLabel(user, index, label): return "user \(user): label \(label) at index \(index) is not 0 or 1"
        case let .unknownUser(user): return "unknown user \(user)"
        case let .duplicateUser(user): return "user \(user) occurs twice"
        case let .invalidSetting(name, value): return "invalid training setting \(name) = \(value)"
        case .cancelled: return "training was cancelled"
        }
    }
}

/// One user's labelled examples: feature rows and a 0/1 label per row.
public struct UserExamples: Sendable, Equatable {
    /// The user's id.
    public let userID: String
    /// Feature vectors, (n, inputSize).
    public let features: Matrix
    /// One label per row: 1 = useful, 0 = not useful.
    public let labels: [Int]
    /// A group id per row (the candidates of one prompt) for listwise training: when set, the
    /// loss is `listwiseSoftmaxLoss` over each group with its row labelled 1 as the target, and
    /// batches hold whole groups; nil = pointwise cross-entropy.
    public let groups: [Int]?

    /// Examples for one user; rejects mismatched counts and labels other than 0 or 1.
    public init(userID: String, features: Matrix, labels: [Int], groups: [Int]? = nil) throws {
        guard features.rows == labels.count, groups.map({ $0.count == labels.count }) ?? true else {
            throw TrainingError.labelCount(userID: userID, rows: features.rows, labels: labels.count)
        }
        self.groups = groups
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw TrainingError.badLabel(userID: userID, index: bad, label: labels[bad])
        }
        self.userID = userID
        self.features = features
        self.labels = labels
    }
}

/// How a new user's head starts.
public enum HeadInitialization: String, Codable, Sendable {
    /// Fresh PyTorch-default init from the user's seed.
    case fresh
    /// A copy of the global head.
    case fromGlobal
}

/// HYDRA's factorized scorer: a base shared by all users, one head per user, and a global head
/// (the "base only" ablation).
public struct FactorizedModel: Sendable, Equatable, ParameterContainer {
    /// The model's shape.
    public let config: ModelConfig
    /// The shared trunk.
    public var base: BaseMLP
    /// The head used for users without their own (base-only scoring).
    public var globalHead: HydraHead
    /// User ids, in the order of `heads`.
    public private(set) var userIDs: [String] = []
    /// One head per user, aligned with `userIDs`.
    public private(set) var heads: [HydraHead] = []
    private var indexByUser: [String: Int] = [:]

    /// A model with freshly initialised base and global head and no users; the base draws
    /// first, then the global head, from `SplitMix64(seed)`.
    public init(config: ModelConfig, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        self.config = config
        base = BaseMLP(config: config, rng: &rng)
        globalHead = HydraHead(hidden: config.hiddenSize, dropout: config.headDropout, rng: &rng)
    }

    /// The head index of `userID`, if the user has a head.
    public func headIndex(of userID: String) -> Int? { indexByUser[userID] }

    /// The head of `userID`, if any.
    public func head(for userID: String) -> HydraHead? { indexByUser[userID].map { heads[$0] } }

    /// Adds a head for a user, or replaces that user's head.
    public mutating func setHead(_ head: HydraHead, for userID: String) {
        precondition(head.hidden == config.hiddenSize, "head width \(head.hidden) != model hidden size \(config.hiddenSize)")
        if let i = indexByUser[userID] {
            heads[i] = head
        } else {
            indexByUser[userID] = heads.count
            userIDs.append(userID)
            heads.append(head)
        }
    }

    /// This model without `userID`'s head: the user is then scored by the global head.
    public func removingHead(of userID: String) -> FactorizedModel {
        guard indexByUser[userID] != nil else { return self }
        var copy = self
        copy.userIDs = []
        copy.heads = []
        copy.indexByUser = [:]
        for (id, head) in zip(userIDs, heads) where id != userID { copy.setHead(head, for: id) }
        return copy
    }

    /// A new head for `userID` as `initialization` says; fresh heads draw from a seed derived
    /// from `seed` and the user id.
    public func makeHead(for userID: String, initialization: HeadInitialization, seed: UInt64) -> HydraHead {
        switch initialization {
        case .fromGlobal:
            return globalHead
        case .fresh:
            var rng = SplitMix64(seed: SplitMix64.derivedSeed(seed, "head:" + userID))
            return HydraHead(hidden: config.hiddenSize, dropout: config.headDropout, rng: &rng)
        }
    }

    /// Visits base, then global head, then every user head in order.
    public mutating func visitParameters(_ body: (inout Parameter) throws -> Void) rethrows {
        try base.visitParameters(body)
        try globalHead.visitParameters(body)
        for i in heads.indices { try heads[i].visitParameters(body) }
    }

    /// Mutable access to one user head (the training loops step heads one by one).
    mutating func withHead<R>(_ index: Int, _ body: (inout HydraHead) throws -> R) rethrows -> R {
        try body(&heads[index])
    }

    func checkWidth(_ examples: UserExamples) throws {
        guard examples.features.cols == config.inputSize else {
            throw TrainingError.featureWidth(userID: examples.userID, expected: config.inputSize, got: examples.features.cols)
        }
    }

    // MARK: - Inference

    /// Logits (B, 2) for many rows at once: the base runs once over all rows, then each user's
    /// head over that user's rows; a nil user (or `personalized: false`) uses the global head.
    /// - Parameters:
    ///   - features: (B, inputSize).
    ///   - users: B user ids (nil = global head).
    ///   - personalized: false scores every row with the global head (the base-only ablation).
    /// - Throws: `TrainingError.unknownUser` for a user without a head.
    public func logits(features: Matrix, users: [String?], personalized: Bool = true) throws -> Matrix {
        precondition(users.count == features.rows, "one user per row")
        guard features.cols == config.inputSize else {
            throw TrainingError.featureWidth(userID: "(inference)", expected: config.inputSize, got: features.cols)
        }
        let hidden = base.embed(features)
        var groups: [Int: [Int]] = [:]  // head index (-1 = global) → rows
        for (row, user) in users.enumerated() {
            var key = -1
            if personalized, let user {
                guard let i = indexByUser[user] else { throw TrainingError.unknownUser(user) }
                key = i
            }
            groups[key, default: []].append(row)
        }
        var out = Matrix(rows: features.rows, cols: 2)
        for key in groups.keys.sorted() {
            let rows = groups[key] ?? []
            let head = key < 0 ? globalHead : heads[key]
            let z = head.logits(hidden.gatherRows(rows))
            out.scatterAddRows(z, to: rows)
        }
        return out
    }

    /// Probability of "useful" (softmax class 1) for each row; see `logits(features:users:personalized:)`.
    public func scores(features: Matrix, users: [String?], personalized: Bool = true) throws -> [Float] {
        let z = try logits(features: features, users: users, personalized: personalized)
        return (0..<z.rows).map { r in 1 / (1 + exp(z[r, 0] - z[r, 1])) }
    }
}

