import Foundation
import Retrieval

/// Measures BM25 query throughput on the two synthetic corpora of the reference generator.
///
/// - corpus A: 300 documents, 1000 queries (seed 42), a LaMP-sized user profile;
/// - the 100k corpus: 100 000 documents, 200 queries (seed 43).
///
/// Each query is a raw string: tokenization (`text.lower().split()`, the reference files'
/// convention), scoring and top-10 selection are all timed, on one thread, after a warm-up pass.
/// Every result is folded into a checksum so no work can be optimised away. Building the corpora
/// and the indexes is not timed.
///
/// - Parameters:
///   - secondsPerCorpus: How long to run queries on each corpus (the query list is cycled).
///   - k: Hits per query.
///   - largeCorpusDocuments: Size of the large corpus (100 000; smaller for quick checks).
/// - Returns: `bm25_corpus_a_queries_per_s` and `bm25_100k_queries_per_s` (wall clock), the same
///   per second of process CPU time (`bm25_corpus_a_cpu_queries_per_s`,
///   `bm25_100k_cpu_queries_per_s`; steadier on a shared machine), and the index build times
///   `bm25_corpus_a_build_s` and `bm25_100k_build_s`.
public func runBM25Benchmark(
    secondsPerCorpus: Double = 1.0, k: Int = 10, largeCorpusDocuments: Int = SyntheticCorpus.caseB.documents
) -> [String: Double] {
    var results: [String: Double] = [:]
    let a = SyntheticCorpus.caseA
    let b = SyntheticCorpus.caseB
    let cases: [(key: String, corpus: SyntheticCorpus)] = [
        ("corpus_a", SyntheticCorpus(seed: a.seed, documents: a.documents, queries: a.queries)),
        ("100k", SyntheticCorpus(seed: b.seed, documents: largeCorpusDocuments, queries: b.queries)),
    ]
    for (key, corpus) in cases {
        let buildStart = DispatchTime.now().uptimeNanoseconds
        let index = BM25Index(documents: corpus.documents, tokenizer: .lowercasedWhitespace)
        results["bm25_\(key)_build_s"] = seconds(since: buildStart)
        let rate = queriesPerSecond(index, corpus.queries, k: k, seconds: secondsPerCorpus)
        results["bm25_\(key)_queries_per_s"] = rate.wall
        results["bm25_\(key)_cpu_queries_per_s"] = rate.cpu
    }
    return results
}

/// Runs `queries` round-robin for about `seconds` and returns queries per second of wall-clock
/// time and of process CPU time.
private func queriesPerSecond(_ index: BM25Index, _ queries: [String], k: Int, seconds limit: Double)
    -> (wall: Double, cpu: Double)
{
    var checksum = 0
    // warm-up: one pass over the queries
    for q in queries { checksum &+= index.top(query: q, k: k).first?.index ?? 0 }
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = processCPUSeconds()
    var done = 0
    var elapsed = 0.0
    repeat {
        for q in queries {
            let hits = index.top(query: q, k: k)
            checksum &+= hits.count &+ (hits.first?.index ?? 0)
        }
        done += queries.count
        elapsed = seconds(since: start)
    } while elapsed < limit
    let cpu = processCPUSeconds() - cpuStart
    blackHole(checksum)
    return (Double(done) / elapsed, Double(done) / cpu)
}

/// CPU time consumed by the process (all threads), in seconds.
private func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Keeps `value` alive so the optimiser cannot drop the work that produced it.
@inline(never)
private func blackHole(_ value: Int) {
    if value == Int.min { print("") }
}
