#!/usr/bin/env python3
"""Times the Python BM25 peers on the same corpora as `hydra bench bm25`.

Regenerates corpus A (300 docs, 1000 queries, seed 42) and the 100k corpus (seed 43, 200 queries)
from the splitmix64 generator documented in bm25_okapi_scores.json (`generator`), checks corpus A
against the sha256 values of bm25_corpus_A.json when that file is found (both read from the
repository's copies of shared/reference, Tests/Fixtures/reference/), and times, single-threaded,
with tokenization `text.lower().split()` included:

- rank_bm25 0.2.2 `BM25Okapi.get_scores` plus a top-10 selection, one query at a time;
- bm25s 0.3.16 `BM25.retrieve(k=10)` on the whole query batch (its intended use), n_threads=1,
  numpy backend; if numba is installed, also its numba backend (extra `bm25s_numba_*` keys).

Prints one JSON object: rank_bm25_corpus_a_queries_per_s, bm25s_corpus_a_queries_per_s,
rank_bm25_100k_queries_per_s, bm25s_100k_queries_per_s (wall clock), each also as
`*_cpu_queries_per_s` (per second of process CPU time, all threads; steadier on a shared machine).

Set-up (once): python3 -m venv .venv && .venv/bin/pip install rank_bm25==0.2.2 bm25s==0.3.16 numpy
(optionally numba, for bm25s's JIT backend)
Run: .venv/bin/python scripts/bench-peers/bm25_peer.py [--reference DIR] [--seconds 1.0]
(unknown arguments are ignored, so `scripts/bench bm25 ARGS` can pass its own through)
"""

import argparse
import hashlib
import json
import os
import sys
import time

MASK = (1 << 64) - 1
CONSONANTS = "bcdfghjklmnprstv"
VOWELS = "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def word(i):
    n = i + 1
    s = ""
    while n > 0:
        n -= 1
        s = SYLLABLES[n % 80] + s
        n //= 80
    return s


VOCAB = [word(i) for i in range(5000)]
CUM = []
_total = 0
for _r in range(5000):
    _total += 1_000_000_000 // (_r + 1)
    CUM.append(_total)


def zipf(rng):
    import bisect

    u = rng.next() % CUM[-1]
    return VOCAB[bisect.bisect_right(CUM, u)]


def capitalize_first(words):
    words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words)


def generate(seed, n_docs, n_queries):
    rng = SplitMix64(seed)
    docs = []
    for _ in range(n_docs):
        n = 20 + rng.next() % 61
        docs.append(capitalize_first([zipf(rng) for _ in range(n)]))
    queries = []
    for _ in range(n_queries):
        n = 5 + rng.next() % 8
        words = []
        for _ in range(n):
            if rng.next() % 100 < 5:
                words.append("zz" + str(rng.next() % 1000))
            else:
                words.append(zipf(rng))
        queries.append(capitalize_first(words))
    return docs, queries


def sha256_lines(texts):
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()


def time_rank_bm25(docs, queries, seconds):
    import numpy as np
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([d.lower().split() for d in docs], k1=1.5, b=0.75, epsilon=0.25)

    def one(q):
        scores = index.get_scores(q.lower().split())
        top = np.argpartition(-scores, 10)[:10] if len(scores) > 10 else np.arange(len(scores))
        return top[np.argsort(-scores[top], kind="stable")]

    for q in queries[:5]:  # warm-up
        one(q)
    done, sink, start, cpu = 0, 0, time.perf_counter(), time.process_time()
    while True:
        for q in queries:
            sink += int(one(q)[0])
            done += 1
            if time.perf_counter() - start > seconds:
                break
        if time.perf_counter() - start > seconds:
            break
    return done / (time.perf_counter() - start), done / (time.process_time() - cpu)


def time_bm25s(docs, queries, seconds, backend="numpy"):
    import bm25s

    index = bm25s.BM25(k1=1.5, b=0.75, method="robertson", backend=backend)
    index.index([d.lower().split() for d in docs], show_progress=False)

    def batch():
        tokens = [q.lower().split() for q in queries]
        return index.retrieve(tokens, k=10, n_threads=1, show_progress=False)

    batch()  # warm-up
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        results = batch()
        done += len(queries)
        assert results.documents.shape[0] == len(queries)
    return done / (time.perf_counter() - start), done / (time.process_time() - cpu)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_ref = os.environ.get(
        "HYDRA_REFERENCE", os.path.join(here, "..", "..", "Tests", "Fixtures", "reference")
    )
    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", default=default_ref)
    parser.add_argument("--seconds", type=float, default=1.0)
    args, _ = parser.parse_known_args()

    docs_a, queries_a = generate(42, 300, 1000)
    ref = os.path.join(args.reference, "bm25_corpus_A.json")
    if os.path.exists(ref):
        with open(ref) as f:
            expected = json.load(f)
        if sha256_lines(docs_a) != expected["sha256_docs"] or sha256_lines(queries_a) != expected["sha256_queries"]:
            sys.exit("corpus A regeneration does not match bm25_corpus_A.json sha256")
    docs_b, queries_b = generate(43, 100_000, 200)

    result = {}

    def record(name, rates):
        # wall-clock rate under the pinned key, and the rate per second of process CPU time
        result[f"{name}_queries_per_s"], result[f"{name}_cpu_queries_per_s"] = rates

    record("rank_bm25_corpus_a", time_rank_bm25(docs_a, queries_a, args.seconds))
    record("bm25s_corpus_a", time_bm25s(docs_a, queries_a, args.seconds))
    # rank_bm25 on 100k docs takes a large fraction of a second per query: the time limit cuts the
    # query list short (a subset of the queries is timed).
    record("rank_bm25_100k", time_rank_bm25(docs_b, queries_b, args.seconds))
    record("bm25s_100k", time_bm25s(docs_b, queries_b, args.seconds))
    # bm25s's optional numba backend (JIT-compiled retrieval), when numba is installed
    try:
        import numba  # noqa: F401

        record("bm25s_numba_corpus_a", time_bm25s(docs_a, queries_a, args.seconds, "numba"))
        record("bm25s_numba_100k", time_bm25s(docs_b, queries_b, args.seconds, "numba"))
    except ImportError:
        pass
    print(json.dumps({k: round(v, 1) for k, v in result.items()}))


if __name__ == "__main__":
    main()
