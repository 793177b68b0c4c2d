import Encoder
import Workspace

extension SentenceEncoderKind {
    /// The encoder, with MiniLM's files first checked against their sha256 as the GGUF is: a
    /// damaged `model.safetensors` is reported as corrupted instead of loading garbage weights.
    /// Missing files are left to `MiniLMEncoder`, whose error also offers `--encoder hashing`.
    /// The store remembers verified files by size and date, so only the first use hashes them.
    public func makeVerifiedEncoder(store: ModelStore = ModelStore()) throws -> any SentenceEncoder {
        if self == .minilm { try store.rejectCorrupted(ModelCatalog.miniLM) }
        return try makeEncoder(modelsDirectory: store.directory)
    }
}
