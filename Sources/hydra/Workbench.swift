import Foundation

enum Workbench {
    static func open(_ options: SessionOptions) async throws {
        print("workbench")
    }
}
