import Foundation

/// Errors of the sentence encoders: missing or malformed model files and bad configuration.
public enum EncoderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A MiniLM model file is missing; `hydra models fetch` downloads and unpacks it.
    case modelFilesMissing(directory: String, missing: [String])
    /// `vocab.txt` could not be read or is malformed (`line` is 1-based, 0 for the whole file).
    case invalidVocabulary(path: String, line: Int, reason: String)
    /// A special token ([PAD], [UNK], [CLS], [SEP]) is absent from the vocabulary.
    case missingSpecialToken(String)
    /// `config.json` could not be read or decoded, or describes an unsupported model.
    case invalidConfig(path: String, reason: String)
    /// The vocabulary size disagrees with the config's `vocab_size`.
    case vocabularySizeMismatch(vocabulary: Int, config: Int)
    /// A weight decodes to NaN or ±infinity: the file is corrupted (a trained BERT has none).
    case nonFiniteWeight(file: String, tensor: String, index: Int, value: Float)

    /// A one-line message naming what went wrong and where.
    public var description: String {
        switch self {
        case .modelFilesMissing(let directory, let missing):
            return "MiniLM model files missing in \(directory): \(missing.joined(separator: ", ")). "
                + "Run `hydra models fetch` to download them, or use `--encoder hashing`."
        case .invalidVocabulary(let path, let line, let reason):
            return "vocabulary \(path)\(line > 0 ? " line \(line)" : ""): \(reason)"
        case .missingSpecialToken(let token):
            return "vocabulary has no \(token) token"
        case .invalidConfig(let path, let reason):
            return "model config \(path): \(reason)"
        case .vocabularySizeMismatch(let vocabulary, let config):
            return "vocab.txt has \(vocabulary) tokens but config.json says vocab_size \(config)"
        case .nonFiniteWeight(let file, let tensor, let index, let value):
            return "\(file): tensor \(tensor) holds \(value) at index \(index), so the file is corrupted; "
                + "delete it and run `hydra models fetch`, or use `--encoder hashing`"
        }
    }
}

extension EncoderError: LocalizedError {
    /// Same as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
