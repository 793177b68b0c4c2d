import Foundation
import LaMP
import Training

/// The methods a run compares, under their result names.
public enum HydraMethod: String, CaseIterable, Codable, Sendable {
    /// The input alone.
    case zeroShot = "zero-shot"
    /// r random profile items in the prompt.
    case iclRandom = "icl-random"
    /// BM25 top-r in the prompt.
    case rag
    /// Reranked top-r (user's head), one greedy call.
    case hydraReranker = "hydra-reranker"
    /// BM25 top-r prompt, N samples, the adapter (user's head) picks.
    case hydraAdapter = "hydra-adapter"
    /// Reranked prompt, N samples, adapter picks (both with the user's heads).
    case hydra
    /// As `hydra`, but both models use the shared base + global head (no personal heads).
    case hydraBase = "hydra-base"

    /// Prompt-only baselines (no trained model).
    public var isPromptBaseline: Bool { self == .zeroShot || self == .iclRandom || self == .rag }
}

/// Everything that shapes a run; stored in the session so a warm re-run can reuse its work.
public struct HydraConfig: Codable, Sendable, Equatable {
    /// The LaMP task (from the dataset).
    public var task: LaMPTask
    /// Items retrieved per query (BM25 top-k); every one gets a reranker label.
    public var k: Int = 10
    /// Items labelled per training query (its BM25 top-`labelK`, each alone in a prompt → one
    /// greedy LLM call per item); nil = k. The LLM-call budget: (labelK + 1) calls per training
    /// query, so this and the query counts below set the cold-run time.
    public var labelK: Int? = 4
    /// Items in the prompt.
    public var r: Int = 2
    /// Samples per prompt for the adapter.
    public var n: Int = 8
    /// Seed of sampling, random ICL items and training.
    public var seed: UInt64 = 0
    /// Training users (from the train split), nil = all.
    public var trainUsers: Int?
    /// Evaluation users (from the dev split), nil = all.
    public var evalUsers: Int?
    /// Methods to run (result names).
    public var methods: [HydraMethod] = HydraMethod.allCases
    /// Real questions per training user used for training examples (nil = all).
    public var trainQuestionsPerUser: Int? = 2
    /// Pseudo-queries built from profile items per training user.
    public var pseudoQueriesPerTrainUser: Int = 1
    /// Pseudo-queries per evaluation user (their head's only data).
    public var pseudoQueriesPerEvalUser: Int = 4
    /// Further pseudo-queries per user that label only the adapter (one LLM call each instead of
    /// labelK + 1): training users' get the shared adapter more data, evaluation users' give
    /// their adapter head a sample of their history's answers.
    public var adapterPseudoQueriesPerTrainUser: Int = 0
    public var adapterPseudoQueriesPerEvalUser: Int = 8
    /// Token budget of a prompt (the LaMP builder truncates items to fit).
    public var promptTokens: Int = 256
    /// New tokens per generated answer (generation tasks).
    public var maxNewTokens: Int = 24
    /// Generation tasks: label adapter candidates by ROUGE above the mean instead of "gold is the
    /// only positive".
    public var adapterRougeLabels: Bool = false
    /// LLM calls (cases while labelling, questions during inference) in flight at once. A server
    /// backend serves them in parallel (its client caps connections); the embedded runtime queues
    /// them, so for it the number changes nothing.
    public var concurrentLLMCalls: Int = 4
    /// How an evaluation user's head starts before the fit phase: a copy of the global head, or
    /// fresh as HYDRA.md §1 says. Measured on the demo sessions: movies hydra accuracy 0.604 with
    /// either (F1 0.385 from the global head, 0.372 fresh); ratings hydra MAE 0.979 from the
    /// global head, 1.062 fresh. A head fitted on a few dozen examples does better starting from
    /// what the training users share.
    public var fitInitialization: HeadInitialization = .fromGlobal
    /// Widths of the shared base MLP.
    public var baseWidths: [Int] = [64]
    /// Shared phase training.
    public var jointTraining = TrainingSettings(epochs: 12, batchSize: 32, learningRate: 1e-3, weightDecay: 0.01, seed: 0)
    /// Fit phase training (per evaluation user). A head has a few dozen examples, so it needs
    /// large steps to move at all: with 30 epochs at 2e-3 (heads copied from the global head) the
    /// fitted heads only shifted every score alike and changed no pick on the demo movies; 100
    /// epochs at 3e-2 took hydra from 0.50 to 0.60 accuracy there (hydra-base 0.54). Each fit
    /// takes milliseconds, so the extra epochs cost nothing measurable.
    public var fitTraining = TrainingSettings(epochs: 100, batchSize: 16, learningRate: 3e-2, weightDecay: 0.01, seed: 0)

    /// A configuration with defaults for everything but the task.
    public init(task: LaMPTask) { self.task = task }
}

/// Errors of the engine, naming the user, question or stage.
public enum HydraEngineError: Error, Equatable, CustomStringConvertible {
    /// The dataset lacks a split the run needs.
    case missingSplit(String)
    /// A split has no gold outputs, so labels or metrics cannot be computed.
    case missingGolds(split: String)
    /// The task has no answer field, so profile items cannot become pseudo-queries.
    case noPseudoQueries(task: String)
    /// The LLM returned no candidates for a prompt.
    case emptyCompletion(questionID: String)
    /// A setting is out of range.
    case invalidSetting(name: String, value: String)

    public var description: String {
        switch self {
        case .missingSplit(let s): return "the dataset has no \(s) split"
        case .missingGolds(let s): return "the \(s) split has no outputs file (golds are needed)"
        case .noPseudoQueries(let t): return "\(t) profile items have no answer field; pseudo-queries are unavailable"
        case .emptyCompletion(let q): return "question \(q): the LLM returned no completion"
        case let .invalidSetting(name, value): return "invalid setting \(name) = \(value)"
        }
    }
}
