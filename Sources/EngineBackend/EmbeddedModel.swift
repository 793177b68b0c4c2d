import Foundation
import LLM
import Workspace

/// Loading the embedded model, with the fetch command named when its file is missing.
public enum EmbeddedModel {
    public static func load() throws -> EmbeddedLLM {
        let store = ModelStore()
        try store.require(ModelCatalog.smolLM2)
        return try EmbeddedLLM(modelURL: store.url(ModelCatalog.smolLM2File))
    }
}
