// Writes into a session store in an endless loop (losses, embeddings, weights), printing
// "step N" after each committed step. The kill-and-reopen test SIGKILLs it mid-write.
import Foundation
import SessionStore

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: session-store-writer SESSION_DIR\n".utf8))
    exit(2)
}
do {
    let store = try SessionStore(directory: URL(fileURLWithPath: arguments[1]))
    var step = 0
    while true {
        try store.appendLosses(phase: "writer", firstStep: step, losses: [Float(step)])
        let vector = (0..<384).map { Float($0 + step) }
        store.saveEmbeddings(encoderID: "writer", [(textHash: UInt64(step), embedding: vector)])
        if step % 4 == 0 {
            // 256 KiB of the byte (step mod 251), so a torn file would show
            let data = Data(repeating: UInt8(step % 251), count: 1 << 18)
            try store.saveWeights(name: "writer", data: data, metadata: "{\"step\": \(step)}")
        }
        FileHandle.standardOutput.write(Data("step \(step)\n".utf8))
        step += 1
    }
} catch {
    FileHandle.standardError.write(Data("session-store-writer: \(error)\n".utf8))
    exit(1)
}
