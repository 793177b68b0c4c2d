import Foundation
import LaMP
import Training

/// How a generation task labels the adapter's candidates (classification and rating tasks always
/// label by match). The raw values are what session files and `--adapter-labels` spell.
public enum AdapterLabels: String, CaseIterable, Codable, Sendable {
    /// HYDRA's reference: the N candidates negative, the gold itself the one positive.
    case gold
    /// Candidates whose ROUGE is above their mean positive.
    case rouge
    /// A listwise loss over one prompt's candidates: softmax over their scores, the target the
    /// candidate with the best ROUGE (`listwiseSoftmaxLoss`).
    case listwise
}

/// Everything that shapes a run; stored in the session so a warm re-run can reuse its work.
///
/// Every default is written here and only here: the CLI's help, the session resolver and the
/// workbench read them from a default-constructed group.
public struct HydraConfig: Codable, Sendable, Equatable {
    /// BM25 retrieval and the prompt.
    public struct RetrievalConfig: Codable, Sendable, Equatable {
        /// Items retrieved per query (BM25 top-k); every one gets a reranker label.
        public var k: Int = 10
        /// Items in the prompt.
        public var r: Int = 2
        /// Token budget of a prompt (the LaMP builder truncates items to fit, counting with the
        /// LLM's tokenizer). 512 measured best of 256 / 512 / 1,024 (docs/experiments.md, "prompt
        /// budget"): at 256 a long input leaves the items a few words each.
        public var promptTokens: Int = 512

        public init() {}
    }

    /// Which queries the LLM labels and how (the LLM-call budget of a cold run).
    public struct LabellingConfig: Codable, Sendable, Equatable {
        /// Items labelled per training query (its BM25 top-`labelK`, each alone in a prompt → one
        /// greedy LLM call per item); nil = k. The LLM-call budget: (labelK + 1) calls per training
        /// query, so this and the query counts below set the cold-run time.
        public var labelK: Int? = 4
        /// Real questions per training user used for training examples (nil = all).
        public var trainQuestionsPerUser: Int? = 2
        /// Pseudo-queries built from profile items per training user.
        public var pseudoQueriesPerTrainUser: Int = 1
        /// Pseudo-queries per evaluation user (their head's only data).
        public var pseudoQueriesPerEvalUser: Int = 4
        /// Further pseudo-queries per user that label only the adapter (one LLM call each instead
        /// of labelK + 1): training users' get the shared adapter more data, evaluation users' give
        /// their adapter head a sample of their history's answers.
        public var adapterPseudoQueriesPerTrainUser: Int = 0
        public var adapterPseudoQueriesPerEvalUser: Int = 8
        /// Generation tasks: how adapter candidates are labelled; nil = chosen on held-out
        /// training users (`selection`), falling back to `defaultAdapterLabels`.
        public var adapterLabels: AdapterLabels? = nil

        public init() {}

        /// The labels when neither the session nor held-out selection chooses.
        public static let defaultAdapterLabels = AdapterLabels.rouge

        /// Items labelled per training query, never more than the `k` retrieved.
        public func itemsLabelled(k: Int) -> Int { min(labelK ?? k, k) }
    }

    /// Held-out model selection on training users: the adapter's label scheme, shared-phase epochs
    /// and learning rate are chosen from a small grid by the adapter's pick on the held-out users'
    /// real questions, then the adapter is trained on every training user with the winner.
    public struct SelectionConfig: Codable, Sendable, Equatable {
        /// Whether to select at all (off: the configured or default settings).
        public var enabled: Bool = true
        /// Share of the training users held out (at least one user when enabled).
        public var heldOutShare: Double = 0.25
        /// Fewer held-out questions than this: the defaults are used, and the results say so.
        public var minimumQuestions: Int = 8
        /// The grid: multipliers of `training.joint.epochs` and learning rates.
        public var epochMultipliers: [Double] = [0.5, 1]
        public var learningRates: [Float] = [1e-3, 3e-3]
        /// The fit phase's grid (`FitSelection`): epochs × learning rates of the personal heads'
        /// fit, chosen per scorer on the evaluation users' own held-out pseudo-queries.
        public var fitEpochs: [Int] = [5, 20, 100]
        public var fitLearningRates: [Float] = [1e-3, 1e-2, 3e-2]
        /// A fit stronger than the gentlest in the grid is chosen only when it beats the gentlest
        /// on the held-out pseudo-queries with a paired test's p at most this.
        public var fitSignificance: Double = 0.1

        public init() {}
    }

    /// The LLM's sampling.
    public struct SamplingConfig: Codable, Sendable, Equatable {
        /// Samples per prompt for the adapter.
        public var n: Int = 8
        /// New tokens per generated answer (generation tasks).
        public var maxNewTokens: Int = 24
        /// Temperature and nucleus (top-p) of the N samples of generation tasks (classification
        /// draws from the label distribution as it is). Measured on the headlines demo, see
        /// docs/experiments.md, "sampling settings".
        public var temperature: Double = 0.7
        public var topP: Double = 0.9
        /// Whether every LLM answer goes through the task's `AnswerNormalizer` (off: the raw text,
        /// trimmed, for strict comparison with the reference code).
        public var normalizeAnswers: Bool = true
        /// Seed of sampling, random ICL items, pseudo-query choice and training (the training
        /// seeds are derived from it inside the engine; see `jointTrainingSettings`).
        public var seed: UInt64 = 0

        public init() {}
    }

    /// The two scorers' shape and training.
    public struct TrainingConfig: Codable, Sendable, Equatable {
        /// Widths of the shared base MLP.
        public var baseWidths: [Int] = [64]
        /// Shared phase training. Its `seed` is ignored: the engine trains with
        /// `sampling.seed`, so no caller has to remember to copy it.
        public var joint = TrainingSettings(epochs: 12, batchSize: 32, learningRate: 1e-3, weightDecay: 0.01)
        /// Fit phase training (per evaluation user) when fit selection is off or has no held-out
        /// pseudo-queries; its `seed` is ignored as `joint`'s. The fit grid's gentlest setting,
        /// because with selection off it did no worse than 100 epochs at 3e-2 on any demo session
        /// and much better on the subject lines (docs/experiments.md, "fit phase").
        public var fit = TrainingSettings(epochs: 5, batchSize: 16, learningRate: 1e-3, weightDecay: 0.01)
        /// How an evaluation user's head starts before the fit phase: a copy of the global head,
        /// or fresh as HYDRA.md §1 says (docs/experiments.md, "head initialization").
        public var fitInitialization: HeadInitialization = .fromGlobal

        public init() {}
    }

    /// How the run uses the machine; changes no result.
    public struct RuntimeConfig: Codable, Sendable, Equatable {
        /// LLM calls (cases while labelling, questions during inference) in flight at once. A
        /// server backend serves them in parallel (its client caps connections); the embedded
        /// runtime queues them, so for it the number changes nothing.
        public var concurrentLLMCalls: Int = 4

        public init() {}
    }

    /// The LaMP task (from the dataset).
    public var task: LaMPTask
    /// Training users (from the train split), nil = all.
    public var trainUsers: Int?
    /// Evaluation users (from the dev split), nil = all.
    public var evalUsers: Int?
    /// Methods to run (result names).
    public var methods: [HydraMethod] = HydraMethod.allCases
    public var retrieval = RetrievalConfig()
    public var labelling = LabellingConfig()
    public var sampling = SamplingConfig()
    public var training = TrainingConfig()
    public var runtime = RuntimeConfig()
    public var selection = SelectionConfig()

    /// A configuration with defaults for everything but the task.
    public init(task: LaMPTask) { self.task = task }

    /// The shared phase's settings as the engine trains with them. The seed is the run's: the
    /// training code derives its own streams from it (`"joint"`, `"fit:<user>"`), which is what
    /// `hydra run` has always trained with, so saved results stay reproducible.
    public var jointTrainingSettings: TrainingSettings { seeded(training.joint) }

    /// The fit phase's settings as the engine trains with them (seeded as `jointTrainingSettings`).
    public var fitTrainingSettings: TrainingSettings { seeded(training.fit) }

    /// `fitTrainingSettings` with `setting`'s epochs and learning rate (nil: `training.fit`'s).
    public func fitTrainingSettings(_ setting: FitSetting?) -> TrainingSettings {
        var settings = fitTrainingSettings
        if let setting { (settings.epochs, settings.learningRate) = (setting.epochs, setting.learningRate) }
        return settings
    }

    private func seeded(_ settings: TrainingSettings) -> TrainingSettings {
        var settings = settings
        settings.seed = sampling.seed
        return settings
    }
}
