#!/usr/bin/env python3
"""Times Python's json.load on a LaMP file (best of 3) and prints {"json_load_mb_per_s": x}.

Usage: load_peer.py FILE    (MB = 10**6 bytes, as LaMPLoadBenchmark reports)
"""
import json
import os
import sys
import time


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: load_peer.py FILE")
    path = sys.argv[1]
    megabytes = os.path.getsize(path) / 1e6
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with open(path, "rb") as f:
            data = json.load(f)
        best = min(best, time.perf_counter() - start)
        del data
    print(json.dumps({"json_load_mb_per_s": megabytes / best}))


if __name__ == "__main__":
    main()
