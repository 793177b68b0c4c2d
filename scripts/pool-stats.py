"""Candidate pools of `hydra run` results (results.json of each DIR given): mean ROUGE-1 of a sampled candidate and of the greedy one, oracle@N, distinct candidates per pool. Used for docs/experiments.md, "sampling settings"."""
import json, re, sys
from collections import Counter

def toks(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).split()

def rouge1(pred, gold):
    p, g = Counter(toks(pred)), Counter(toks(gold))
    overlap = sum((p & g).values())
    if not p or not g or not overlap:
        return 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * prec * rec / (prec + rec)

for path in sys.argv[1:]:
    r = json.load(open(path + "/results.json"))
    mean_c, greedy, oracle, distinct, words = [], [], [], [], []
    for t in r["traces"]:
        cands = t["candidates"]
        if not cands:
            continue
        scores = [rouge1(c["candidate"]["text"], t["gold"]) for c in cands]
        non_greedy = [s for c, s in zip(cands, scores) if not c["candidate"].get("isGreedy")]
        mean_c += non_greedy
        greedy += [s for c, s in zip(cands, scores) if c["candidate"].get("isGreedy")]
        oracle.append(max(scores))
        distinct.append(len(cands))
        words += [len(c["candidate"]["text"].split()) for c in cands]
    avg = lambda xs: sum(xs) / max(1, len(xs))
    print(f"{path}: sampled candidate ROUGE-1 {avg(mean_c):.4f}  greedy {avg(greedy):.4f}  oracle@N {avg(oracle):.4f}  "
          f"distinct per pool {avg(distinct):.2f}  words per candidate {avg(words):.1f}  questions {len(oracle)}")
