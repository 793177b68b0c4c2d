/// Summary figures of a loaded dataset, `Codable` so the CLI can print them as JSON.
public struct DatasetStats: Codable, Sendable, Equatable {
    /// Smallest, median and largest of a list of sizes.
    public struct Spread: Codable, Sendable, Equatable {
        /// The smallest value.
        public var min: Int
        /// The middle value, or the mean of the two middle values.
        public var median: Double
        /// The largest value.
        public var max: Int

        /// The spread of `values` (all zero when empty).
        public init(_ values: [Int]) {
            let sorted = values.sorted()
            guard let first = sorted.first, let last = sorted.last else {
                self.min = 0
                self.median = 0
                self.max = 0
                return
            }
            let mid = sorted.count / 2
            self.min = first
            self.max = last
            self.median = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
        }
    }

    /// One split's figures.
    public struct SplitStats: Codable, Sendable, Equatable {
        /// Which split.
        public var split: Split
        /// How many questions.
        public var questions: Int
        /// How many users (`UserIndex` rules).
        public var users: Int
        /// Profile sizes over users.
        public var profileSize: Spread
        /// How often each gold answer occurs, for tasks with a label list (LaMP 1, 2, 2N, 3),
        /// keyed by label in label order; answers outside the list are counted under their own
        /// text. Nil for generation tasks or without golds.
        public var answers: [String: Int]?
    }

    /// The task.
    public var task: LaMPTask
    /// Per split, in split order.
    public var splits: [SplitStats]

    /// Computes the figures of `dataset`.
    public init(dataset: LaMPDataset) {
        task = dataset.task
        let labels = dataset.task.labels
        splits = dataset.splits.map { data in
            let index = UserIndex(questions: data.questions)
            var answers: [String: Int]?
            if let labels, let golds = data.golds {
                var counts = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
                for gold in golds { counts[PythonText.strip(gold.output), default: 0] += 1 }
                answers = counts
            }
            return SplitStats(
                split: data.split, questions: data.questions.count, users: index.users.count,
                profileSize: Spread(index.users.map(\.profile.count)), answers: answers)
        }
    }
}
