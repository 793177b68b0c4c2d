"""llama.cpp (llama-cpp-python 0.3.36, 2 threads) on the same GGUF file and the same workloads as
`hydra bench llm`: a 200-token prompt, 64 greedy decode steps after a 20-token prompt, and 8 samples
x 32 tokens of one chat prompt (prompt cache on). Prints JSON with llama_cpp_* keys.

Usage: llm_peer.py [MODEL.gguf]   (default: the workbench's model cache)
"""
import json
import os
import resource
import sys
import time

from llama_cpp import Llama, LlamaRAMCache

path = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].endswith(".gguf") else os.path.join(
    os.environ.get("HYDRA_MODELS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "hydra-workbench", "models"),
    "SmolLM2-135M-Instruct.Q4_1.gguf")

llm = Llama(model_path=path, n_ctx=2048, n_threads=2, n_batch=512, verbose=False, logits_all=False)
sentence = ("The committee reviewed the quarterly report on river water quality, noting 14 sites "
            "with improved oxygen levels and several where runoff from farms remains a concern. ")
prompt = []
while len(prompt) < 200:
    prompt += llm.tokenize(sentence.encode(), add_bos=False)
prompt = prompt[:200]


def best(runs, body):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return min(times)


def prefill():
    llm.reset()
    llm.eval(prompt)


llm.eval(prompt[:16])
prefill_s = best(3, prefill)

decode_steps = 64


def decode():
    llm.reset()
    llm.eval(prompt[:20])
    start = time.perf_counter()
    for _ in range(decode_steps):
        token = llm.sample(temp=0.0)
        llm.eval([token])
    return time.perf_counter() - start


decode_s = min(decode() for _ in range(2))

llm.set_cache(LlamaRAMCache())
chat = ("<|im_start|>system\nYou are a helpful assistant. Answer briefly and directly.<|im_end|>\n"
        "<|im_start|>user\nWrite a long story about a lighthouse keeper and the sea.<|im_end|>\n"
        "<|im_start|>assistant\n")


def eight():
    for seed in range(8):
        llm.create_completion(chat, max_tokens=32, temperature=0.8, top_k=40, top_p=0.95, seed=seed)


eight()  # fills the prompt cache, as hydra's N streams share one prompt pass
eight_s = best(2, eight)

print(json.dumps({
    "llama_cpp_prefill_tokens_per_s": len(prompt) / prefill_s,
    "llama_cpp_decode_tokens_per_s": decode_steps / decode_s,
    "llama_cpp_eight_samples_s": eight_s,
    "llama_cpp_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, sort_keys=True))
