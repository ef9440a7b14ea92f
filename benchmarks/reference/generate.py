#!/usr/bin/python3
"""PyTorch reference for benchmarks/Workbench.Benchmarks/GenerationBenchmarks.cs: batched generation with a
KV cache on the same model shape (sotu-char-gpt.yaml's GPT at block_size 320), batch, prompt and settings;
with --rollout, for RolloutBenchmarks.cs: an RL rollout's shape (tasks-gpt.yaml's GPT, block 96; the 16
task-suite prompts of rollout_prompts.json, 4 completions each, left-padded; 24 new tokens at temperature 1).

    /usr/bin/python3 benchmarks/reference/generate.py [--rollout] [--threads N] [--rounds N]

The model is benchmarks/reference/gpt.py's GPT; the loop is the usual one (as in HF transformers' past
key values): a prefill over the prompts, then one token per sequence per step, each layer's keys and values
appended with torch.cat, multinomial draws. Prompts of different lengths are left-padded, as HF generates:
each row's positions start at 0 after its pads and an attention mask hides the pads from every query.
Prints JSON: the median seconds of --rounds calls after a warm-up one and tokens/s (rows x new / seconds).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt import GPT  # noqa: E402

BATCH, PROMPT, NEW = 16, 64, 256
CONFIG = {"n_layer": 4, "n_head": 4, "n_embd": 128, "block_size": PROMPT + NEW, "dropout": 0.0, "bias": False}
VOCAB, TEMPERATURE, TOP_K = 65, 0.8, 20


def attend(attn, x, cache, mask=None):
    """One attention layer over new positions x (B, T, C), with the layer's cached (k, v) appended in place;
    mask (B, 1, T, S) bool, where given, says which keys each query sees (else causal)."""
    b, t, c = x.size()
    q, k, v = attn.c_attn(x).split(c, dim=2)
    q, k, v = (z.view(b, t, attn.n_head, c // attn.n_head).transpose(1, 2) for z in (q, k, v))
    if cache:
        k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
    cache[:] = [k, v]
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    if mask is not None:
        att = att.masked_fill(~mask, float("-inf"))
    elif t > 1:
        att = att.masked_fill(~attn.mask[:, :, :t, :t], float("-inf"))
    y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).contiguous().view(b, t, c)
    return attn.c_proj(y)


def forward(model, idx, start, caches, pos=None, mask=None):
    pos = torch.arange(start, start + idx.size(1)) if pos is None else pos
    x = model.wte(idx) + model.wpe(pos)
    for block, cache in zip(model.h, caches):
        x = x + attend(block.attn, block.ln_1(x), cache, mask)
        x = x + block.c_proj(F.gelu(block.c_fc(block.ln_2(x))))
    return F.linear(model.ln_f(x[:, -1]), model.wte.weight)          # (B, V): only the last position's logits


@torch.no_grad()
def generate(model, prompts):
    caches = [[] for _ in model.h]
    logits, tokens, out = forward(model, prompts, 0, caches), prompts.size(1), []
    for _ in range(NEW):
        logits = logits / TEMPERATURE
        kth = torch.topk(logits, TOP_K, dim=-1).values[:, -1:]
        nxt = torch.multinomial(F.softmax(logits.masked_fill(logits < kth, float("-inf")), -1), 1)
        out.append(nxt)
        logits = forward(model, nxt, tokens, caches)
        tokens += 1
    return torch.cat(out, 1)


ROLLOUT_CONFIG = {"n_layer": 4, "n_head": 4, "n_embd": 128, "block_size": 96, "dropout": 0.0, "bias": False}
ROLLOUT_GENERATIONS, ROLLOUT_NEW = 4, 24


@torch.no_grad()
def rollout(model, prompts):
    """prompts: lists of ids of different lengths -> (N, 24) tokens drawn at temperature 1 after each, left-padded."""
    n, width = len(prompts), max(len(p) for p in prompts)
    pads = torch.tensor([width - len(p) for p in prompts])
    idx = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    real = torch.arange(width).unsqueeze(0) >= pads.unsqueeze(1)                      # (N, W)
    pos = (torch.arange(width).unsqueeze(0) - pads.unsqueeze(1)).clamp(min=0)
    causal = torch.ones(width, width, dtype=torch.bool).tril()
    mask = (causal & real[:, None, None, :]) | torch.eye(width, dtype=torch.bool)     # (N, 1, W, W): a pad sees itself
    caches = [[] for _ in model.h]
    logits, out = forward(model, idx, 0, caches, pos, mask), []
    lengths = torch.tensor([len(p) for p in prompts])
    for _ in range(ROLLOUT_NEW):
        nxt = torch.multinomial(F.softmax(logits, -1), 1)                              # (N, 1)
        out.append(nxt)
        real = torch.cat([real, torch.ones(n, 1, dtype=torch.bool)], 1)
        logits = forward(model, nxt, 0, caches, lengths.unsqueeze(1), real[:, None, None, :])
        lengths = lengths + 1
    return torch.cat(out, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rollout", action="store_true")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    if args.rollout:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rollout_prompts.json")) as f:
            spec = json.load(f)
        model = GPT(ROLLOUT_CONFIG, spec["VocabSize"]).eval()
        prompts = [p for p in spec["Prompts"] for _ in range(ROLLOUT_GENERATIONS)]
        run, shape = (lambda: rollout(model, prompts)), (len(prompts), ROLLOUT_NEW)
    else:
        model = GPT(CONFIG, VOCAB).eval()
        prompts = torch.randint(0, VOCAB, (BATCH, PROMPT))
        run, shape = (lambda: generate(model, prompts)), (BATCH, NEW)
    run()
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        generated = run()
        times.append(time.perf_counter() - start)
    assert generated.shape == shape
    seconds = statistics.median(times)
    print(json.dumps({"seconds": round(seconds, 4), "tokens_per_s": round(shape[0] * shape[1] / seconds, 1),
                      "torch": torch.__version__, "threads": args.threads}))


if __name__ == "__main__":
    main()
