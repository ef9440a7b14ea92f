#!/usr/bin/python3
"""PyTorch reference for benchmarks/Workbench.Benchmarks/GenerationBenchmarks.cs: batched generation with a
KV cache on the same model shape (sotu-char-gpt.yaml's GPT at block_size 320), batch, prompt and settings.

    /usr/bin/python3 benchmarks/reference/generate.py [--threads N] [--rounds N]

The model is benchmarks/reference/gpt.py's GPT; the loop is the usual one (as in HF transformers' past
key values): a prefill over the prompts, then one token per sequence per step, each layer's keys and values
appended with torch.cat, temperature 0.8 and top_k 20, multinomial draws. Prints JSON: the median seconds
of --rounds calls after a warm-up one and tokens/s (16 x 256 / seconds).
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


def attend(attn, x, cache):
    """One attention layer over new positions x (B, T, C), with the layer's cached (k, v) appended in place."""
    b, t, c = x.size()
    q, k, v = attn.c_attn(x).split(c, dim=2)
    q, k, v = (z.view(b, t, attn.n_head, c // attn.n_head).transpose(1, 2) for z in (q, k, v))
    if cache:
        k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
    cache[:] = [k, v]
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
    if t > 1:
        att = att.masked_fill(~attn.mask[:, :, :t, :t], float("-inf"))
    y = (F.softmax(att, dim=-1) @ v).transpose(1, 2).contiguous().view(b, t, c)
    return attn.c_proj(y)


def forward(model, idx, start, caches):
    pos = torch.arange(start, start + idx.size(1))
    x = model.wte(idx) + model.wpe(pos)
    for block, cache in zip(model.h, caches):
        x = x + attend(block.attn, block.ln_1(x), cache)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    model = GPT(CONFIG, VOCAB).eval()
    prompts = torch.randint(0, VOCAB, (BATCH, PROMPT))
    generate(model, prompts)
    times = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        generated = generate(model, prompts)
        times.append(time.perf_counter() - start)
    assert generated.shape == (BATCH, NEW)
    seconds = statistics.median(times)
    print(json.dumps({"seconds": round(seconds, 4), "tokens_per_s": round(BATCH * NEW / seconds, 1),
                      "torch": torch.__version__, "threads": args.threads}))


if __name__ == "__main__":
    main()
