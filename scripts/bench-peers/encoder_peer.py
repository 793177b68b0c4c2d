#!/usr/bin/env python3
"""Peer benchmark for `hydra bench encoder`: sentence-transformers (PyTorch CPU, 2 threads,
batch 32) on the same 512 sentences as Sources/HydraBench/EncoderBenchmark.swift.

Usage: encoder_peer.py [MODEL_DIR]   (default ~/.cache/hydra-workbench/models/all-MiniLM-L6-v2)
Prints {"sentence_transformers_sentences_per_s": x}. Loads the model offline from the folder.
"""
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

WORDS = (
    "the of and to in is was he for it with as his on be at by had are but from or have an they which "
    "one you were her all she there would their we him been has when who will more no if out so said "
    "what up its about into than them can only other new some could time these two may then do first "
    "any my now such like our over man me even most made after also did many before must through back "
    "years where much your way well down should because each just those people how too little state "
    "good very make world still own see men work long get here between both life being under never day"
).split()
MASK = (1 << 64) - 1


def sentences(count):
    """splitmix64 seeded with 42, 30 words each; identical to encoderBenchmarkSentences(count:)."""
    state = 42
    out = []
    for _ in range(count):
        picked = []
        for _ in range(30):
            state = (state + 0x9E3779B97F4A7C15) & MASK
            z = state
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            z ^= z >> 31
            picked.append(WORDS[z % len(WORDS)])
        text = " ".join(picked)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def main():
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
        "~/.cache/hydra-workbench/models/all-MiniLM-L6-v2")
    torch.set_num_threads(2)
    model = SentenceTransformer(model_dir, device="cpu", local_files_only=True)
    texts = sentences(512)
    model.encode(texts[:32], batch_size=32, normalize_embeddings=True)
    start = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"sentence_transformers_sentences_per_s": len(texts) / seconds}))


if __name__ == "__main__":
    main()
