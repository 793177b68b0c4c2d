#!/usr/bin/env python3
"""PyTorch peer of Sources/HydraBench/HeadsBenchmark.swift (same workload, 2 threads).

Prints JSON with torch_one_user_s, torch_hundred_users_s, torch_joint_examples_per_s.
Install: python3 -m venv .venv && .venv/bin/pip install torch==2.13.0+cpu numpy
"""
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
W = 384
N = 128


def make_users(count, gen):
    users = []
    for u in range(count):
        x = torch.rand(N, W, generator=gen) * 2 - 1
        y = ((x[:, u % W] + x[:, (u + 1) % W]) > 0).long()
        x = x / x.norm(dim=1, keepdim=True)
        users.append((x, y))
    return users


def head(hidden=W, p=0.1):
    # dropout -> dense(h->h) -> tanh -> dropout -> dense(h->2)
    return nn.Sequential(nn.Dropout(p), nn.Linear(hidden, hidden), nn.Tanh(), nn.Dropout(p), nn.Linear(hidden, 2))


def fit(x, y, gen):
    model = head()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for _ in range(20):
        order = torch.randperm(N, generator=gen)
        for s in range(0, N, 64):
            idx = order[s:s + 64]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    return model


def main():
    gen = torch.Generator().manual_seed(0)
    users = make_users(100, gen)

    times = []
    for trial in range(8):
        t = time.perf_counter()
        fit(*users[trial], gen)
        if trial > 0:
            times.append(time.perf_counter() - t)
    times.sort()

    hundred = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        for x, y in users:
            fit(x, y, gen)
        hundred = min(hundred, time.perf_counter() - t)

    # joint: 2-layer GELU base of width 384, 8 users' heads + global head, batches mixing users
    base = nn.Sequential(nn.Linear(W, W), nn.GELU(), nn.Dropout(0.1), nn.Linear(W, W), nn.GELU(), nn.Dropout(0.1))
    heads = nn.ModuleList([head() for _ in range(8)])
    global_head = head()
    params = list(base.parameters()) + list(heads.parameters()) + list(global_head.parameters())
    opt = torch.optim.AdamW(params, lr=2e-5, weight_decay=0.01)
    xs = torch.cat([u[0] for u in users[:8]])
    ys = torch.cat([u[1] for u in users[:8]])
    owner = torch.arange(8).repeat_interleave(N)
    epochs = 4
    t = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(ys), generator=gen)
        for s in range(0, len(ys), 64):
            idx = order[s:s + 64]
            opt.zero_grad(set_to_none=True)
            h = base(xs[idx])
            b = len(idx)
            loss = 0.0
            for u in owner[idx].unique().tolist():
                m = owner[idx] == u
                loss = loss + F.cross_entropy(heads[u](h[m]), ys[idx][m]) * (m.sum().item() / b)
            loss = loss + F.cross_entropy(global_head(h), ys[idx])
            loss.backward()
            opt.step()
    joint_s = time.perf_counter() - t

    print(json.dumps({
        "torch_one_user_s": times[len(times) // 2],
        "torch_hundred_users_s": hundred,
        "torch_joint_examples_per_s": epochs * 8 * N / joint_s,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
