/// A candidate merge of two adjacent symbols of one word: the pair's merge rank, the byte where
/// the left symbol starts, and the bytes both symbols cover when the pair was queued. 32-bit
/// fields keep the queue of a multi-megabyte word small (12 bytes an entry).
struct CandidateMerge {
    var rank: Int32
    var left: Int32
    var byteCount: Int32

    /// BPE order: the lowest rank first, the leftmost pair among equal ranks.
    func precedes(_ other: CandidateMerge) -> Bool {
        rank != other.rank ? rank < other.rank : left < other.left
    }
}

/// A binary min-heap of candidate merges in BPE order.
///
/// Entries are never updated in place: when a merge changes a symbol, the pairs it was part of stay
/// queued and are skipped when popped (lazy invalidation, as in HF tokenizers' `Word::merge_all`
/// and llama.cpp's `llm_tokenizer_bpe_session`), which keeps every operation O(log n).
struct MergeQueue {
    private var heap: [CandidateMerge] = []

    init(reservingCapacity capacity: Int) { heap.reserveCapacity(capacity) }

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ merge: CandidateMerge) {
        heap.append(merge)
        heap.withUnsafeMutableBufferPointer { heap in
            // sift up: move parents down into the hole until the new entry fits
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard merge.precedes(heap[parent]) else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = merge
        }
    }

    mutating func popFirst() -> CandidateMerge? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap.withUnsafeMutableBufferPointer { heap in
            // sift down: move the earlier child up into the hole until the last entry fits
            var hole = 0
            while true {
                let left = 2 * hole + 1
                guard left < heap.count else { break }
                let right = left + 1
                let child = right < heap.count && heap[right].precedes(heap[left]) ? right : left
                guard heap[child].precedes(last) else { break }
                heap[hole] = heap[child]
                hole = child
            }
            heap[hole] = last
        }
        return first
    }
}
