// MARK: - Scoring and top-k

extension BM25Index {
    /// Documents per accumulation block: a block's accumulator (32 KB) stays in the L1 cache while
    /// every query term adds into it, so large corpora stream each dense row once per query.
    static let blockSize = 4096

    /// The BM25 score of every document for a raw query, tokenized with the index's tokenizer.
    ///
    /// - Parameter query: The query text.
    /// - Returns: One score per document, in corpus order (rank_bm25's `get_scores`).
    public func scores(query: String) -> [Double] {
        allScores(termIDs(query: query))
    }

    /// The BM25 score of every document for an already tokenized query.
    ///
    /// - Parameter queryTokens: The query's tokens; duplicates count each time.
    /// - Returns: One score per document, in corpus order.
    public func scores(queryTokens: [String]) -> [Double] {
        allScores(termIDs(queryTokens: queryTokens))
    }

    /// The `k` best documents for a raw query.
    ///
    /// - Parameters:
    ///   - query: The query text, tokenized with the index's tokenizer.
    ///   - k: How many hits at most (fewer when the corpus is smaller; none when `k <= 0`).
    /// - Returns: Hits by descending score, ties by ascending document index. Documents sharing
    ///   no term with the query score 0 and still rank (above any negative score).
    public func top(query: String, k: Int) -> [BM25Hit] {
        topHits(termIDs(query: query), k: k)
    }

    /// The `k` best documents for an already tokenized query (see `top(query:k:)`).
    public func top(queryTokens: [String], k: Int) -> [BM25Hit] {
        topHits(termIDs(queryTokens: queryTokens), k: k)
    }

    // MARK: - Internals

    /// Term ids of the query's known tokens, in query order, duplicates kept.
    func termIDs(query: String) -> [Int] {
        var ids: [Int] = []
        tokenizer.forEachToken(in: query) { token in
            let t = terms.find(token)
            if t >= 0 { ids.append(Int(t)) }
        }
        return ids
    }

    func termIDs(queryTokens: [String]) -> [Int] {
        var ids: [Int] = []
        for var token in queryTokens {
            let t = token.withUTF8 { terms.find($0) }
            if t >= 0 { ids.append(Int(t)) }
        }
        return ids
    }

    private func allScores(_ ids: [Int]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { out in
            forEachBlock(ids) { start, block in
                for j in block.indices { out[start + j] = block[j] }
            }
        }
        return out
    }

    private func topHits(_ ids: [Int], k: Int) -> [BM25Hit] {
        let k = min(k, count)
        guard k > 0 else { return [] }
        if k > 64 {
            // long lists: sort everything
            let s = allScores(ids)
            let order = s.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && $0 < $1) }
            return order.prefix(k).map { BM25Hit(index: $0, score: s[$0]) }
        }
        var collector = TopKCollector(k: k)
        forEachBlock(ids) { start, block in collector.offer(block, firstIndex: start) }
        return collector.hits
    }

    /// Sums the query terms' contributions per document, block by block, each document's terms in
    /// query order, and hands each finished block of scores to `body` in corpus order.
    func forEachBlock(_ ids: [Int], _ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        let n = count
        guard n > 0 else { return }
        var acc = [Double](repeating: 0, count: min(n, Self.blockSize))
        // per query token: its next posting (sparse terms advance block by block)
        var cursor = ids.map { postingStarts[$0] }
        acc.withUnsafeMutableBufferPointer { acc in
            postingDocs.withUnsafeBufferPointer { docs in
                postingWeights.withUnsafeBufferPointer { weights in
                    denseWeights.withUnsafeBufferPointer { dense in
                        for start in stride(from: 0, to: n, by: Self.blockSize) {
                            let end = min(start + Self.blockSize, n)
                            let length = end - start
                            let block = UnsafeMutableBufferPointer(rebasing: acc[0..<length])
                            if start > 0 { block.update(repeating: 0) }
                            for (q, t) in ids.enumerated() {
                                let row = Int(denseRows[t])
                                if row >= 0 {
                                    // dense row: a contribution (or an exact zero) for every document
                                    let source = UnsafeBufferPointer(rebasing: dense[(row * n + start)...])
                                    for j in 0..<length { block[j] += source[j] }
                                } else {
                                    var p = cursor[q]
                                    let last = postingStarts[t + 1]
                                    while p < last && Int(docs[p]) < end {
                                        acc[Int(docs[p]) &- start] += weights[p]
                                        p += 1
                                    }
                                    cursor[q] = p
                                }
                            }
                            body(start, UnsafeBufferPointer(block))
                        }
                    }
                }
            }
        }
    }
}

/// Keeps the k best documents offered in ascending index order: by descending score, ties by
/// ascending index.
///
/// The kept hits stay sorted; a later document enters only with a score strictly above the worst
/// kept one, so on ties the lower index stays. (Scores are never NaN.)
struct TopKCollector {
    let k: Int
    /// The kept scores and indices, best first; only the first `filled` are valid.
    private var keptScores: [Double]
    private var keptIndices: [Int]
    private var filled = 0
    private var worst = -Double.infinity

    init(k: Int) {
        precondition(k > 0)
        self.k = k
        keptScores = [Double](repeating: 0, count: k)
        keptIndices = [Int](repeating: 0, count: k)
    }

    /// The kept hits, best first.
    var hits: [BM25Hit] {
        var hits: [BM25Hit] = []
        hits.reserveCapacity(filled)
        for j in 0..<filled { hits.append(BM25Hit(index: keptIndices[j], score: keptScores[j])) }
        return hits
    }

    /// Offers the documents `firstIndex ..< firstIndex + scores.count`.
    mutating func offer(_ scores: UnsafeBufferPointer<Double>, firstIndex: Int) {
        var j = 0
        // fill up to k hits, then only a strictly better score enters
        while filled < k && j < scores.count {
            insert(index: firstIndex + j, score: scores[j])
            j += 1
        }
        // look at 8 scores one by one only when their maximum beats the worst kept score
        while j + 8 <= scores.count {
            let a = max(max(scores[j], scores[j + 1]), max(scores[j + 2], scores[j + 3]))
            let b = max(max(scores[j + 4], scores[j + 5]), max(scores[j + 6], scores[j + 7]))
            if max(a, b) > worst {
                for i in j..<j + 8 where scores[i] > worst { insert(index: firstIndex + i, score: scores[i]) }
            }
            j += 8
        }
        for i in j..<scores.count where scores[i] > worst {
            insert(index: firstIndex + i, score: scores[i])
        }
    }

    /// Inserts after every hit with an equal or higher score, dropping the worst when full.
    private mutating func insert(index: Int, score: Double) {
        var j = filled < k ? filled : k - 1
        keptScores.withUnsafeMutableBufferPointer { s in
            keptIndices.withUnsafeMutableBufferPointer { x in
                while j > 0 && s[j - 1] < score {
                    s[j] = s[j - 1]
                    x[j] = x[j - 1]
                    j -= 1
                }
                s[j] = score
                x[j] = index
            }
        }
        if filled < k { filled += 1 }
        if filled == k { worst = keptScores[k - 1] }
    }
}
