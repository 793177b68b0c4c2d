// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom up:
//   system libraries  CBLAS (OpenBLAS), CNcursesw, CMalloc (glibc's mallopt)
//   basics            Basics (SplitMix64, FNV-1a, the /proc memory reader)
//   data              LaMP (records, loading, queries, prompts, metrics), Retrieval (BM25, dense), DemoData
//   models            Safetensors, Numerics (matrices on BLAS), Training (layers, optimizers, the
//                     factorized base + per-user heads), Encoder (MiniLM, hashing)
//   LLM access        LLMInterface (the LLMClient protocol), LLM (embedded SmolLM2 runtime, GGUF),
//                     OpenAIClient, LLMServer, GenerationCache
//   workspace         Workspace (paths, model files, sessions)
//   engine            SessionStore (SQLite per session), HydraEngine (the HYDRA pipeline)
//   workbench         WorkbenchAPI (screen data, jobs, the backend protocol; Foundation only),
//                     EngineBackend (RunSetup: session + flags → a run; the backend over the engine),
//                     UserReport (a user's Markdown report with SVG charts, from WorkbenchAPI's data)
//   UI                TUI (model/update/view, no curses), CursesTerminal (the only curses code)
//   executables       hydra (wiring only), HydraBench (benchmarks the CLI runs)
// No engine target imports a UI target.
let package = Package(
    name: "HydraWorkbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hydra", targets: ["hydra"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CMalloc"),

        // The seeded generator, the stable hash and the /proc memory reader every layer shares.
        .target(name: "Basics", dependencies: ["CMalloc"]),
        .target(name: "LaMP"),
        .target(name: "Retrieval", dependencies: ["Basics"]),
        .target(name: "DemoData", dependencies: ["LaMP", "Basics"]),
        .target(name: "Safetensors"),
        .target(name: "Numerics", dependencies: ["CBLAS", "Basics"]),
        .target(name: "Training", dependencies: ["Numerics", "Safetensors"]),
        .target(name: "Encoder", dependencies: ["Safetensors", "Numerics", "CBLAS", "Basics"]),
        // Quantized mat-vec kernels (AVX-512 / AVX2 / plain C, chosen at run time); -O3 keeps them
        // fast in debug test builds too.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "LLM", dependencies: ["LLMInterface", "CBLAS", "CKernels", "Basics"]),

        .target(name: "LLMInterface"),
        .target(name: "OpenAIClient", dependencies: ["LLMInterface", "Basics"]),
        .target(
            name: "LLMServer",
            dependencies: [
                "LLMInterface", "Basics", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]),
        .target(
            name: "GenerationCache",
            dependencies: ["LLMInterface", "Basics", .product(name: "GRDB", package: "GRDB.swift")]),

        .target(name: "Workspace", dependencies: ["LaMP", "DemoData"]),

        .target(
            name: "SessionStore",
            dependencies: ["Encoder", "GenerationCache", "Basics", .product(name: "GRDB", package: "GRDB.swift")]),
        // A tiny executable that writes into a session store in a loop; the kill-and-reopen test
        // SIGKILLs it mid-write.
        .executableTarget(name: "session-store-writer", dependencies: ["SessionStore"]),
        .target(
            name: "HydraEngine",
            dependencies: [
                "LaMP", "Retrieval", "Encoder", "LLMInterface", "GenerationCache", "SessionStore", "Training",
                "Numerics", "Basics",
            ]),

        // What the screens show and the one entry point to the engine; Foundation only, so the TUI
        // never sees the engine.
        .target(name: "WorkbenchAPI"),
        .target(
            name: "EngineBackend",
            dependencies: [
                "WorkbenchAPI", "HydraEngine", "Workspace", "LaMP", "Retrieval", "Encoder", "LLM", "LLMInterface",
                "OpenAIClient", "GenerationCache", "SessionStore", "Training", "DemoData", "Numerics", "UserReport", "Basics",
            ]),
        .target(name: "TUI", dependencies: ["WorkbenchAPI"]),
        // The per-user report: Markdown with SVG charts, from WorkbenchAPI's data alone.
        .target(name: "UserReport", dependencies: ["WorkbenchAPI"]),
        .target(name: "CursesTerminal", dependencies: ["TUI", "CNcursesw"]),

        .target(name: "HydraBench", dependencies: ["LaMP", "Retrieval", "TUI", "WorkbenchAPI", "Encoder", "LLM", "LLMInterface", "Numerics", "Training", "HydraEngine", "Basics"]),
        .executableTarget(
            name: "hydra",
            dependencies: [
                "LaMP", "Retrieval", "DemoData", "Safetensors", "Numerics", "Training", "Encoder", "Workspace", "TUI",
                "CursesTerminal", "WorkbenchAPI",
                "HydraBench", "Basics",
                "LLMInterface", "LLM", "OpenAIClient", "LLMServer", "GenerationCache",
                "SessionStore", "HydraEngine", "EngineBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "TestSupport", dependencies: ["Workspace", "Basics"], path: "Tests/TestSupport"),
        .target(
            name: "LLMTestSupport", dependencies: ["LLMInterface", .product(name: "FlyingFox", package: "FlyingFox")],
            path: "Tests/LLMTestSupport"),
        .testTarget(name: "LaMPTests", dependencies: ["LaMP", "HydraBench", "Basics", "TestSupport"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "HydraBench", "Workspace", "TestSupport"]),
        .testTarget(name: "DemoDataTests", dependencies: ["DemoData", "LaMP"]),
        .testTarget(name: "SafetensorsTests", dependencies: ["Safetensors", "Basics", "TestSupport"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Numerics", "Safetensors", "TestSupport"]),
        .testTarget(
            name: "SessionStoreTests",
            dependencies: ["SessionStore", "Encoder", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "HydraEngineTests",
            dependencies: [
                "HydraEngine", "SessionStore", "LaMP", "Encoder", "LLMInterface", "LLMTestSupport", "Training", "DemoData",
                "LLM", "TestSupport",
            ]),
        .testTarget(
            name: "EngineBackendTests",
            dependencies: [
                "EngineBackend", "WorkbenchAPI", "HydraEngine", "LaMP", "Retrieval", "LLMInterface", "LLMTestSupport", "DemoData",
                "Workspace", "SessionStore", "Encoder",
            ]),
        .testTarget(
            name: "EncoderTests", dependencies: ["Encoder", "Safetensors", "Retrieval", "HydraBench", "Basics", "TestSupport"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "DemoData", "TestSupport"]),
        // The command line's own behaviour (argument checks, input files, error text), tested on
        // the functions the commands call.
        .testTarget(name: "HydraCLITests", dependencies: ["hydra"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "WorkbenchAPI"], exclude: ["Golden"]),
        .testTarget(name: "UserReportTests", dependencies: ["UserReport", "WorkbenchAPI"]),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "LLMInterface", "CKernels", "Basics", "TestSupport"]),
        .testTarget(
            name: "OpenAIClientTests",
            dependencies: ["OpenAIClient", "LLMServer", "LLMInterface", "LLMTestSupport", "Basics"]),
        // LLM and TestSupport: the context-length route tests run the real model behind the server.
        .testTarget(name: "LLMServerTests", dependencies: ["LLMServer", "LLMInterface", "LLMTestSupport", "LLM", "TestSupport"]),
        .testTarget(
            name: "GenerationCacheTests",
            dependencies: [
                "GenerationCache", "LLMInterface", "LLMTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
