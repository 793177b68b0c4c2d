import Foundation
import LLM
import Workspace

/// Loading the embedded model, with the fetch command named when its file is missing.
public enum EmbeddedModel {
    /// The SmolLM2 runtime computing its products with `precision` (the app's default: int8).
    public static func load(precision: ProductPrecision = .standard) throws -> EmbeddedLLM {
        let store = ModelStore()
        try store.require(ModelCatalog.smolLM2)
        return try EmbeddedLLM(modelURL: store.url(ModelCatalog.smolLM2File), precision: precision)
    }
}
