import Foundation
import Numerics
import Safetensors

/// all-MiniLM-L6-v2 run in process: WordPiece tokenizer + 6-layer BERT + mean pooling + L2 norm,
/// reproducing sentence-transformers' `SentenceTransformer("all-MiniLM-L6-v2").encode(texts,
/// normalize_embeddings=True)`.
///
/// Texts are tokenized, sorted by token count and cut into batches of `batchSize`, so each padded
/// batch wastes little. Batches run on every core at once, each worker with its own buffers
/// (allocated once per `encode` call for its largest batch shape) and OpenBLAS single-threaded:
/// whole batches in parallel keep the element-wise passes and the small attention products off
/// the critical path, where one batch at a time with a two-thread OpenBLAS left a core spinning.
public final class MiniLMEncoder: SentenceEncoder {
    /// Files that must exist in the model folder.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]

    /// The model's identifier, used as cache key prefix.
    public let id: String
    /// Vector width (384 for MiniLM-L6).
    public var dimension: Int { model.config.hiddenSize }
    /// Width of the feed-forward layers (1536 for MiniLM-L6).
    public var feedForwardWidth: Int { model.config.intermediateSize }
    /// Multiply-adds of the dense layers for one token (attention scores excluded, which grow with
    /// the sequence but stay under 2% at 32 tokens): the model's fixed cost per token.
    public var multiplyAddsPerToken: Double {
        let c = model.config
        let perLayer = 4 * c.hiddenSize * c.hiddenSize + 2 * c.hiddenSize * c.intermediateSize
        return Double(perLayer * c.layerCount)
    }
    /// The WordPiece tokenizer built from `vocab.txt`.
    public let tokenizer: WordPieceTokenizer
    /// Sequences per forward batch.
    public let batchSize: Int
    /// Batches run at once on separate threads, each with its own buffers.
    public let concurrentBatches: Int
    let model: BertModel

    /// Loads and strictly verifies the model in `modelDirectory`.
    /// - Parameters:
    ///   - modelDirectory: a folder holding `config.json`, `vocab.txt` and `model.safetensors`.
    ///   - batchSize: sequences per forward batch (at least 1).
    ///   - maxSequenceLength: truncation length including `[CLS]`/`[SEP]` (sentence-transformers: 256).
    ///   - concurrentBatches: batches run in parallel (default: one per core; 1 runs one batch at a
    ///     time and lets OpenBLAS spread each product over the cores).
    /// - Throws: `EncoderError.modelFilesMissing` (naming `hydra models fetch`) when files are
    ///   absent, `EncoderError` for a bad config or vocabulary, and `SafetensorsError` naming any
    ///   missing, unexpected, mis-shaped or corrupt tensor; `EncoderError.nonFiniteWeight` for a
    ///   weight that is NaN or infinite.
    public init(
        modelDirectory: URL, batchSize: Int = 32, maxSequenceLength: Int = 256,
        concurrentBatches: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        precondition(batchSize >= 1 && concurrentBatches >= 1, "batchSize and concurrentBatches must be positive")
        let missing = Self.requiredFiles.filter {
            !FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent($0).path)
        }
        guard missing.isEmpty else {
            throw EncoderError.modelFilesMissing(directory: modelDirectory.path, missing: missing)
        }
        let config = try BertConfiguration.load(from: modelDirectory.appendingPathComponent("config.json"))
        let tokenizer = try WordPieceTokenizer(
            vocabularyURL: modelDirectory.appendingPathComponent("vocab.txt"),
            maxSequenceLength: min(maxSequenceLength, config.maxPositions))
        guard tokenizer.vocabularySize == config.vocabularySize else {
            throw EncoderError.vocabularySizeMismatch(vocabulary: tokenizer.vocabularySize, config: config.vocabularySize)
        }
        let weightsURL = modelDirectory.appendingPathComponent("model.safetensors")
        let file = try SafetensorsFile(url: weightsURL)
        self.model = BertModel(config: config, weights: try BertWeights(file: file, config: config, fileName: weightsURL.path))
        self.tokenizer = tokenizer
        self.batchSize = batchSize
        self.concurrentBatches = concurrentBatches
        self.id = modelDirectory.lastPathComponent
    }

    /// Token ids of one text as the model sees them (`[CLS] … [SEP]`, truncated).
    public func tokenize(_ text: String) -> [Int32] { tokenizer.encode(text) }

    /// Sentence vectors of texts, in input order.
    public func encode(_ texts: [String]) throws -> [[Float]] {
        encode(tokenized: texts.map(tokenizer.encode))
    }

    /// Sentence vectors of already tokenized sequences (each 1...max positions ids), in input order.
    public func encode(tokenized sequences: [[Int32]]) -> [[Float]] {
        let D = dimension
        guard !sequences.isEmpty else { return [] }
        // sort by length so each batch pads little; remember where each result goes
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        // a short list is cut finer so that every worker gets a batch
        let perBatch = min(batchSize, (order.count + concurrentBatches - 1) / concurrentBatches)
        let batches = stride(from: 0, to: order.count, by: perBatch).map {
            Array(order[$0..<min($0 + perBatch, order.count)])
        }
        var flat = [Float](repeating: 0, count: sequences.count * D)
        let workers = max(1, min(concurrentBatches, batches.count))
        let longest = min(sequences.map(\.count).max() ?? 1, model.config.maxPositions)
        flat.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            let output = SendablePointer(outBase)
            let queue = BatchQueue(count: batches.count)
            let model = self.model
            let runAll = {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    // buffers sized once for the largest batch shape this worker will see
                    let state = BertRunState(config: model.config, rows: perBatch * longest, length: longest)
                    var pooled = [Float](repeating: 0, count: perBatch * D)
                    while let index = queue.next() {
                        let members = batches[index]
                        let batch = members.map { Array(sequences[$0].prefix(model.config.maxPositions)) }
                        pooled.withUnsafeMutableBufferPointer { rows in
                            guard let base = rows.baseAddress else { return }
                            model.embed(batch, state: state, into: base)
                            for (row, original) in members.enumerated() {
                                (output.pointer + original * D).update(from: base + row * D, count: D)
                            }
                        }
                    }
                }
            }
            if workers > 1 { BLASThreads.singleThreaded(runAll) } else { runAll() }
        }
        return (0..<sequences.count).map { Array(flat[($0 * D)..<(($0 + 1) * D)]) }
    }
}

/// Hands out batch indices to workers, so one slowed by other work on its core takes fewer.
private final class BatchQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var following = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard following < count else { return nil }
        following += 1
        return following - 1
    }
}

/// A raw pointer handed to concurrent workers that write disjoint rows.
struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
