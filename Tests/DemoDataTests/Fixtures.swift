import Foundation
import LaMP
import XCTest

@testable import DemoData

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("DemoDataTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// The five file names the generator writes.
let demoFileNames = [
    "train_questions.json", "train_outputs.json", "dev_questions.json", "dev_outputs.json", "demo_users.json",
]

/// Parses a file with JSONSerialization (an independent parser from the writer).
func parseJSON(_ url: URL) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: url))
}

/// Lower-cased content words of a text: punctuation stripped, short and very common words dropped.
func contentWords(_ text: String) -> Set<String> {
    let stop: Set<String> = [
        "the", "and", "for", "with", "who", "this", "that", "from", "into", "its", "was", "were", "are",
        "but", "not", "all", "has", "have", "his", "her", "their", "soon", "when", "what", "before",
        "after", "along", "way", "named", "must", "too", "late", "set", "out", "tale", "story",
        "begins", "becomes", "struggle", "changes", "everything", "years", "later", "returns",
        "nothing", "seems", "begin", "team", "journey", "leads", "discovers", "hidden", "meets",
        "follows", "turns",
    ]
    var words = Set<String>()
    for raw in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }) {
        let word = String(raw)
        if word.count > 2 && !stop.contains(word) { words.insert(word) }
    }
    return words
}

/// The text part of a LaMP input (after `description: `, `review: ` or `article: `).
func itemText(ofInput input: String) -> String {
    for marker in ["description: ", "review: ", "article: "] {
        if let range = input.range(of: marker) { return String(input[range.upperBound...]) }
    }
    return input
}

/// The most frequent element, ties broken by first appearance.
func majority(_ values: [String]) -> String? {
    var counts: [String: Int] = [:]
    var order: [String] = []
    for v in values {
        if counts[v] == nil { order.append(v) }
        counts[v, default: 0] += 1
    }
    var best: String?
    var bestCount = 0
    for v in order where (counts[v] ?? 0) > bestCount {
        best = v
        bestCount = counts[v] ?? 0
    }
    return best
}
