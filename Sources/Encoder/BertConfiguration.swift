import Foundation

/// The BERT hyper-parameters read from `config.json` (HuggingFace `BertConfig` keys).
public struct BertConfiguration: Codable, Sendable, Equatable {
    /// Width of every token vector (`hidden_size`).
    public var hiddenSize: Int
    /// Number of encoder layers (`num_hidden_layers`).
    public var layerCount: Int
    /// Attention heads per layer (`num_attention_heads`).
    public var headCount: Int
    /// Feed-forward width (`intermediate_size`).
    public var intermediateSize: Int
    /// Rows of the word embedding table (`vocab_size`).
    public var vocabularySize: Int
    /// Rows of the position embedding table (`max_position_embeddings`).
    public var maxPositions: Int
    /// Rows of the token-type table (`type_vocab_size`).
    public var typeVocabularySize: Int
    /// LayerNorm epsilon (`layer_norm_eps`).
    public var layerNormEpsilon: Float
    /// Activation (`hidden_act`); only exact `gelu` is supported.
    public var hiddenActivation: String
    /// Position scheme (`position_embedding_type`); only `absolute` is supported.
    public var positionEmbeddingType: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenActivation = "hidden_act"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// Decodes the checkpoint keys; optional keys default to BERT's values.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        maxPositions = try c.decode(Int.self, forKey: .maxPositions)
        typeVocabularySize = try c.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? 2
        layerNormEpsilon = try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-12
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Reads and validates `config.json`.
    /// - Throws: `EncoderError.invalidConfig` naming the file and the problem.
    public static func load(from url: URL) throws -> BertConfiguration {
        let config: BertConfiguration
        do {
            config = try JSONDecoder().decode(BertConfiguration.self, from: Data(contentsOf: url))
        } catch {
            throw EncoderError.invalidConfig(path: url.path, reason: "\(error)")
        }
        func check(_ ok: Bool, _ reason: String) throws {
            if !ok { throw EncoderError.invalidConfig(path: url.path, reason: reason) }
        }
        try check(config.hiddenActivation == "gelu", "hidden_act '\(config.hiddenActivation)' is not 'gelu'")
        try check(config.positionEmbeddingType == "absolute",
                  "position_embedding_type '\(config.positionEmbeddingType)' is not 'absolute'")
        try check(config.hiddenSize > 0 && config.headCount > 0 && config.hiddenSize % config.headCount == 0,
                  "hidden_size \(config.hiddenSize) is not a positive multiple of num_attention_heads \(config.headCount)")
        try check(config.layerCount > 0 && config.intermediateSize > 0 && config.vocabularySize > 0
                  && config.maxPositions > 1 && config.typeVocabularySize > 0, "sizes must be positive")
        return config
    }
}
