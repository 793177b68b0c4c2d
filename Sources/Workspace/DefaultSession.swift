import DemoData

/// The session `hydra` opens with no arguments: the LaMP_2 movie-tag demo.
///
/// It is also checked in as `Sessions/demo-movies.json` (a test keeps the two equal); this copy
/// lets the binary open the workbench from any folder.
public enum DefaultSession {
    public static let fileName = "demo-movies.json"

    public static let config = SessionConfig(
        name: "demo-movies",
        description: "Movie tags: each user applies their favourite tags to ambiguous movies.",
        data: .demo(DemoSpec(task: .movieTag, users: 36, seed: 7)),
        task: .movieTag,
        retrieval: .init(retriever: "bm25", k: 10, r: 2),
        encoder: "minilm",
        llm: .init(backend: "embedded"),
        hydra: .init(n: 8, seed: 0, trainUsers: 24, evalUsers: 12))
}
