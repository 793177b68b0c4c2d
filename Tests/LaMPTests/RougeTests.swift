import Foundation
import TestSupport
import XCTest

@testable import LaMP

/// Parity with Google's rouge_score 0.1.2 (`rouge.json`) and hand-computed cases.
final class RougeTests: XCTestCase {
    /// JSONSerialization hands long decimals over as NSDecimalNumber, whose conversion to Double is
    /// not correctly rounded; read numbers through their text instead.
    private func number(_ any: Any?) throws -> Double {
        let n = try XCTUnwrap(any as? NSNumber)
        return try XCTUnwrap(Double(n.description))
    }

    private func pairs() throws -> [[String: Any]] {
        let root = try XCTUnwrap(try ReferenceData.json("rouge.json") as? [String: Any])
        return try XCTUnwrap(root["pairs"] as? [[String: Any]])
    }

    private func checkPairs(stemmed: Bool) throws {
        let rouge = Rouge(useStemmer: stemmed)
        let list = try pairs()
        XCTAssertEqual(list.count, 100)
        for pair in list {
            let prediction = try XCTUnwrap(pair["prediction"] as? String)
            let reference = try XCTUnwrap(pair["reference"] as? String)
            let expected = try XCTUnwrap(pair[stemmed ? "stem" : "no_stem"] as? [String: Any])
            let at = "pair \(pair["index"] ?? "?") stemmed \(stemmed)"
            XCTAssertEqual(rouge.tokenize(prediction), expected["pred_tokens"] as? [String], at)
            XCTAssertEqual(rouge.tokenize(reference), expected["ref_tokens"] as? [String], at)
            let scores = [
                ("rouge1", rouge.rouge1(prediction: prediction, reference: reference)),
                ("rougeL", rouge.rougeL(prediction: prediction, reference: reference)),
            ]
            for (name, ours) in scores {
                let e = try XCTUnwrap(expected[name] as? [String: Any])
                XCTAssertEqual(ours.precision, try number(e["p"]), accuracy: 1e-9, "\(at) \(name) p")
                XCTAssertEqual(ours.recall, try number(e["r"]), accuracy: 1e-9, "\(at) \(name) r")
                XCTAssertEqual(ours.fMeasure, try number(e["f"]), accuracy: 1e-9, "\(at) \(name) f")
            }
        }
    }

    func testRouge_ReferencePairs_MatchRougeScore() throws {
        try checkPairs(stemmed: false)
    }

    func testRouge_ReferencePairsWithStemmer_MatchRougeScore() throws {
        try checkPairs(stemmed: true)
    }

    func testRouge_Mean_IsArithmeticMeanOfPairs() throws {
        let list = try pairs()
        let golds = list.compactMap { $0["reference"] as? String }
        let predictions = list.compactMap { $0["prediction"] as? String }
        let mean = try Rouge().scores(golds: golds, predictions: predictions)
        var r1 = 0.0
        var rL = 0.0
        for pair in list {
            let e = try XCTUnwrap(pair["no_stem"] as? [String: Any])
            r1 += try number((e["rouge1"] as? [String: Any])?["f"])
            rL += try number((e["rougeL"] as? [String: Any])?["f"])
        }
        XCTAssertEqual(mean.rouge1, r1 / Double(list.count), accuracy: 1e-9)
        XCTAssertEqual(mean.rougeL, rL / Double(list.count), accuracy: 1e-9)
    }

    func testRouge_EmptyAndUnicodeOnly_ScoreZero() {
        let rouge = Rouge()
        XCTAssertEqual(rouge.tokenize("東京 🚀 — ÉÜ"), [])
        XCTAssertEqual(rouge.rouge1(prediction: "", reference: ""), .zero)
        XCTAssertEqual(rouge.rougeL(prediction: "東京", reference: "tokyo"), .zero)
        XCTAssertEqual(rouge.rouge1(prediction: "🚀", reference: "rocket").fMeasure, 0)
    }

    func testRouge_Tokenizer_LowercasesUnicodeIntoASCII() {
        // U+0130 lower-cases to "i" + U+0307 and the Kelvin sign to "k", as in Python
        XCTAssertEqual(Rouge().tokenize("\u{130}T \u{212A}M naïve"), ["i", "t", "km", "na", "ve"])
    }

    func testRouge_HandComputed_RepeatsAndOrder() {
        let rouge = Rouge()
        // pred "the the the the" vs ref "the cat": overlap 1, P 1/4, R 1/2, F 1/3
        let r1 = rouge.rouge1(prediction: "the the the the", reference: "the cat")
        XCTAssertEqual(r1.precision, 0.25)
        XCTAssertEqual(r1.recall, 0.5)
        XCTAssertEqual(r1.fMeasure, 1.0 / 3.0, accuracy: 1e-15)
        // reversed order: unigram overlap 4/4, LCS 1 of 4... "a b c d" vs "d c b a" → LCS 1
        let rL = rouge.rougeL(prediction: "a b c d", reference: "d c b a")
        XCTAssertEqual(rL.fMeasure, 0.25)
        XCTAssertEqual(rouge.rouge1(prediction: "a b c d", reference: "d c b a").fMeasure, 1)
    }

    func testPorterStemmer_NLTKExtensions() {
        let cases = [
            "caresses": "caress", "ponies": "poni", "ties": "tie", "dying": "die", "happy": "happi",
            "relational": "relat", "conditional": "condit", "hopping": "hop", "filing": "file",
            "generalization": "gener", "skies": "sky", "controlling": "control", "agreed": "agre",
            "enjoy": "enjoy", "analogousli": "analog", "radically": "radic",
        ]
        for (word, stem) in cases { XCTAssertEqual(PorterStemmer.stem(word), stem, word) }
    }
}
