import Foundation
import Safetensors

/// all-MiniLM-L6-v2 run in process: WordPiece tokenizer + 6-layer BERT + mean pooling + L2 norm,
/// reproducing sentence-transformers' `SentenceTransformer("all-MiniLM-L6-v2").encode(texts,
/// normalize_embeddings=True)`.
///
/// Texts are tokenized, sorted by token count and cut into batches of `batchSize`, so each padded
/// batch wastes little. Buffers are allocated once per `encode` call for its largest batch shape.
public final class MiniLMEncoder: SentenceEncoder {
    /// Files that must exist in the model folder.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]

    /// The model's identifier, used as cache key prefix.
    public let id: String
    /// Vector width (384 for MiniLM-L6).
    public var dimension: Int { model.config.hiddenSize }
    /// The WordPiece tokenizer built from `vocab.txt`.
    public let tokenizer: WordPieceTokenizer
    /// Sequences per forward batch.
    public let batchSize: Int
    /// Batches run at once on separate threads (each with its own buffers). With more than 1,
    /// run OpenBLAS single-threaded (`OPENBLAS_NUM_THREADS=1`) to avoid oversubscribing cores.
    public let concurrentBatches: Int
    let model: BertModel

    /// Loads and strictly verifies the model in `modelDirectory`.
    /// - Parameters:
    ///   - modelDirectory: a folder holding `config.json`, `vocab.txt` and `model.safetensors`.
    ///   - batchSize: sequences per forward batch (at least 1).
    ///   - maxSequenceLength: truncation length including `[CLS]`/`[SEP]` (sentence-transformers: 256).
    ///   - concurrentBatches: batches run in parallel (1 lets OpenBLAS use every core per product).
    /// - Throws: `EncoderError.modelFilesMissing` (naming `hydra models fetch`) when files are
    ///   absent, `EncoderError` for a bad config or vocabulary, and `SafetensorsError` naming any
    ///   missing, unexpected, mis-shaped or corrupt tensor.
    public init(
        modelDirectory: URL, batchSize: Int = 32, maxSequenceLength: Int = 256, concurrentBatches: Int = 1
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
        let file = try SafetensorsFile(url: modelDirectory.appendingPathComponent("model.safetensors"))
        self.model = BertModel(config: config, weights: try BertWeights(file: file, config: config))
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
        let batches = stride(from: 0, to: order.count, by: batchSize).map {
            Array(order[$0..<min($0 + batchSize, order.count)])
        }
        var flat = [Float](repeating: 0, count: sequences.count * D)
        let workers = min(concurrentBatches, batches.count)
        let longest = min(sequences.map(\.count).max() ?? 1, model.config.maxPositions)
        flat.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            let output = SendablePointer(outBase)
            DispatchQueue.concurrentPerform(iterations: max(workers, 1)) { worker in
                // buffers sized once for the largest batch shape this worker will see
                let state = BertRunState(config: model.config, rows: batchSize * longest, length: longest)
                var pooled = [Float](repeating: 0, count: batchSize * D)
                for index in stride(from: worker, to: batches.count, by: max(workers, 1)) {
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
        return (0..<sequences.count).map { Array(flat[($0 * D)..<(($0 + 1) * D)]) }
    }
}

/// A raw pointer handed to concurrent workers that write disjoint rows.
struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
