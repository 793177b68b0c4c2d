"""llama.cpp (llama-cpp-python 0.3.36, 2 threads) on the same GGUF file and the same workloads as
`hydra bench llm`: a 200-token prompt, 64 greedy decode steps after a 20-token prompt, 8 samples
x 32 tokens of one chat prompt (prompt cache on), 4 samples x 32 tokens after a 1,000-token chat
prompt (prompt cache on, prompt pass included), and 8 different chat prompts x 32 tokens one after
another (llama-cpp-python serves concurrent requests one by one, so this is its time for 8 sent
at once). The prompts are built as Sources/HydraBench/LLMServingBenchmark.swift builds them.
Prints JSON with llama_cpp_* keys.

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
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the cases below add cached states

SYSTEM = "<|im_start|>system\nYou are a helpful assistant. Answer briefly and directly.<|im_end|>\n"


def chat_prompt(message):
    return SYSTEM + "<|im_start|>user\n" + message + "<|im_end|>\n<|im_start|>assistant\n"


def token_count(text):
    return len(llm.tokenize(text.encode(), add_bos=False, special=True))


# the long prompt: an instruction and a report of cycled sentences, cut to 1,000 tokens
INSTRUCTION = "Read the following report and write a long, detailed summary of it.\n\n"
SENTENCES = [
    "The committee reviewed the quarterly report on river water quality, noting 14 sites with improved oxygen levels.",
    "Runoff from farms upstream remains a concern after the heavy rains of early spring.",
    "Volunteers collected 312 samples between March and June, twice as many as last year.",
    "Nitrate concentrations fell at the northern stations but rose near the old mill.",
    "The city council asked engineers to estimate the cost of a new treatment basin.",
    "Fishermen reported more trout below the weir than at any time in the past decade.",
    "Two sensors failed in May and were replaced with a cheaper model from a local supplier.",
    "A public meeting on the findings is planned for the second week of September.",
]
words = []
next_sentence = 0
while token_count(chat_prompt(INSTRUCTION + " ".join(words))) < 1000:
    words += SENTENCES[next_sentence % len(SENTENCES)].split(" ")
    next_sentence += 1
while token_count(chat_prompt(INSTRUCTION + " ".join(words))) > 1000:
    words.pop()
long_prompt = chat_prompt(INSTRUCTION + " ".join(words))
long_generated = 0


def long_case():
    global long_generated
    # a fresh prompt cache and context: the first sample pays the prompt pass, the others reuse it
    llm.reset()
    llm.set_cache(LlamaRAMCache())
    long_generated = 0
    for seed in range(4):
        out = llm.create_completion(long_prompt, max_tokens=32, temperature=0.8, top_k=40, top_p=0.95, seed=seed)
        long_generated += out["usage"]["completion_tokens"]


long_s = best(2, long_case)

MESSAGES = [
    "Write a long story about a lighthouse keeper who finds a message in a bottle.",
    "Describe, in detail, how bread is baked in a small village bakery before dawn.",
    "Explain to a child why the sky changes colour at sunset, with an example.",
    "Write a letter from a sailor to his sister about his first week at sea.",
    "Tell the story of a fox who learns to share food with the other animals of the forest.",
    "Describe a busy train station in the morning, from the point of view of a pigeon.",
    "Write a travel guide paragraph about a quiet mountain town in winter.",
    "Explain how a bicycle gear works, step by step, for someone who has never ridden one.",
]
concurrent_generated = 0


def one_after_another():
    global concurrent_generated
    # no state cache: each prompt reuses only the context's common prefix, as the server does
    llm.set_cache(None)
    llm.reset()
    concurrent_generated = 0
    for message in MESSAGES:
        out = llm.create_completion(chat_prompt(message), max_tokens=32, temperature=0.8, top_k=40, top_p=0.95, seed=7)
        concurrent_generated += out["usage"]["completion_tokens"]


concurrent_s = best(2, one_after_another)

print(json.dumps({
    "llama_cpp_prefill_tokens_per_s": len(prompt) / prefill_s,
    "llama_cpp_decode_tokens_per_s": decode_steps / decode_s,
    "llama_cpp_eight_samples_s": eight_s,
    "llama_cpp_rss_mb": rss_mb,
    "llama_cpp_long_prompt_s": long_s,
    "llama_cpp_long_prompt_tokens": token_count(long_prompt),
    "llama_cpp_long_prompt_generated_tokens": long_generated,
    "llama_cpp_concurrent_8_s": concurrent_s,
    "llama_cpp_concurrent_8_generated_tokens": concurrent_generated,
}, sort_keys=True))
