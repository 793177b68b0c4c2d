import Foundation

/// The encoders a session or the CLI can choose (`--encoder minilm|hashing`).
public enum SentenceEncoderKind: String, CaseIterable, Sendable {
    /// all-MiniLM-L6-v2 from the model cache.
    case minilm
    /// The weight-free `HashingEncoder` (384 dimensions).
    case hashing

    /// Folder name of the MiniLM files inside the models directory.
    public static let miniLMFolder = "all-MiniLM-L6-v2"

    /// Creates the encoder.
    /// - Parameter modelsDirectory: the model cache (`…/hydra-workbench/models`); only MiniLM reads it.
    /// - Throws: for `.minilm`, `EncoderError.modelFilesMissing` (naming `hydra models fetch`) or
    ///   any loading error. `.hashing` never throws.
    public func makeEncoder(modelsDirectory: URL) throws -> any SentenceEncoder {
        switch self {
        case .minilm:
            return try MiniLMEncoder(modelDirectory: modelsDirectory.appendingPathComponent(Self.miniLMFolder))
        case .hashing:
            return HashingEncoder()
        }
    }
}
