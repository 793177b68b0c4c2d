// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom up: system libraries (CBLAS, CNcursesw) → data (LaMP, Retrieval, DemoData)
// → Workspace (models, sessions, paths) → the `hydra` executable. No engine target imports a UI target.
let package = Package(
    name: "HydraWorkbench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hydra", targets: ["hydra"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),

        .target(name: "LaMP"),
        .target(name: "DemoData", dependencies: ["LaMP"]),
        .target(name: "Workspace", dependencies: ["LaMP", "DemoData"]),

        .executableTarget(
            name: "hydra",
            dependencies: [
                "LaMP", "DemoData", "Workspace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DemoDataTests", dependencies: ["DemoData", "LaMP"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Workspace", "DemoData", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
