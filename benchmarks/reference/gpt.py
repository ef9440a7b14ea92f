#!/usr/bin/python3
"""PyTorch reference for a Workbench GPT pretrain run: the same model, data, loop and hyperparameters.

    bin/workbench show RUN --json > run.json
    /usr/bin/python3 benchmarks/reference/gpt.py run.json [--threads N] [--steps N]

Everything comes from the run: the resolved spec (model, optimizer, schedule, batch, eval), the
vocabulary size from its summary, and the token ids from the workbench data cache
(<cache>/tokens/<dataset hash>-<tokenizer hash>/{train,val}.bin, uint16 or int32 little-endian),
so both sides train on exactly the same token stream. The model is nanoGPT's (pre-LayerNorm blocks,
fused q/k/v, 4x GELU MLP, head tied to the token embedding, GPT-2 init with scaled residual
projections); AdamW decays only tensors of 2+ dimensions; the learning rate warms up linearly as
lr * (step + 1) / (warmup + 1) and then follows the spec's schedule, as Workbench's does.

Prints one JSON object: best and final val loss, mean step time in ms (leaving out the first 10
steps and evaluation, as Workbench's step_ms does), tokens/s, and the torch version and threads.
"""
import argparse
import contextlib
import json
import math
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Attention(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.n_head = m["n_head"]
        self.c_attn = nn.Linear(m["n_embd"], 3 * m["n_embd"], bias=m["bias"])
        self.c_proj = nn.Linear(m["n_embd"], m["n_embd"], bias=m["bias"])
        self.dropout = m["dropout"]
        self.flash = hasattr(F, "scaled_dot_product_attention")
        t = m["block_size"]
        self.register_buffer("mask", torch.tril(torch.ones(t, t, dtype=torch.bool)).view(1, 1, t, t))

    def forward(self, x):
        b, t, c = x.size()
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.n_head, c // self.n_head).transpose(1, 2) for z in (q, k, v))
        p = self.dropout if self.training else 0.0
        if self.flash:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(~self.mask[:, :, :t, :t], float("-inf"))
            att = F.dropout(F.softmax(att, dim=-1), p, self.training)
            y = att @ v
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        return F.dropout(self.c_proj(y), self.dropout, self.training)


class Block(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.ln_1 = LayerNorm(m["n_embd"], m["bias"])
        self.attn = Attention(m)
        self.ln_2 = LayerNorm(m["n_embd"], m["bias"])
        self.c_fc = nn.Linear(m["n_embd"], 4 * m["n_embd"], bias=m["bias"])
        self.c_proj = nn.Linear(4 * m["n_embd"], m["n_embd"], bias=m["bias"])
        self.dropout = m["dropout"]

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        h = self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))
        return x + F.dropout(h, self.dropout, self.training)


class GPT(nn.Module):
    def __init__(self, m, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, m["n_embd"])
        self.wpe = nn.Embedding(m["block_size"], m["n_embd"])
        self.h = nn.ModuleList(Block(m) for _ in range(m["n_layer"]))
        self.ln_f = LayerNorm(m["n_embd"], m["bias"])
        self.dropout = m["dropout"]
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * m["n_layer"]))
            elif "ln_" in name:
                continue
            elif name.endswith(".bias"):
                nn.init.zeros_(p)
            else:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, idx):
        pos = torch.arange(idx.size(1), device=idx.device)
        x = F.dropout(self.wte(idx) + self.wpe(pos), self.dropout, self.training)
        for block in self.h:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


def learning_rate(step, lr, schedule, total):
    warmup, min_lr = schedule["warmup_steps"], schedule["min_lr"]
    if step < warmup:
        return lr * (step + 1) / (warmup + 1)
    name = schedule["name"]
    if name == "constant":
        return lr
    if name == "step":
        return max(min_lr, lr * schedule["gamma"] ** ((step - warmup) // schedule["step_size"]))
    if step > total:
        return min_lr
    progress = (step - warmup) / (total - warmup)
    coeff = 0.5 * (1.0 + math.cos(math.pi * progress)) if name == "cosine" else 1.0 - progress
    return min_lr + coeff * (lr - min_lr)


def load_tokens(folder, split):
    header = json.load(open(os.path.join(folder, split + ".json")))
    dtype = np.uint16 if header["dtype"] == "uint16" else np.int32
    ids = np.fromfile(os.path.join(folder, split + ".bin"), dtype=dtype).astype(np.int64)
    return torch.from_numpy(ids)


def cache_root():
    if os.environ.get("WORKBENCH_CACHE"):
        return os.environ["WORKBENCH_CACHE"]
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(xdg, "workbench")


def evaluate(model, stream, batches, batch, block, amp):
    """Mean loss over consecutive windows from the split's start, as Workbench's evaluation does."""
    model.eval()
    windows = (stream.numel() - 1) // block
    limit = windows if batches is None else min(windows, batches * batch)
    total, counted = 0.0, 0
    with torch.no_grad():
        for start in range(0, limit, batch):
            n = min(batch, limit - start)
            window = stream[start * block: start * block + n * block + 1]
            x, y = window[:-1].view(n, block), window[1:].view(n, block)
            with amp():
                logits = model(x)
                total += F.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1)).item() * n
            counted += n
    model.train()
    return total / counted


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run", help="the output of `workbench show RUN --json`")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, help="override train.max_steps")
    parser.add_argument("--device", default="cpu", help="cpu or cuda[:N]: where the model and tokens live")
    args = parser.parse_args()
    run = json.load(open(args.run))
    spec, m, train = run["config"], run["config"]["model"], run["config"]["train"]
    torch.set_num_threads(args.threads)
    torch.manual_seed(spec["seed"])

    hashes = run["dataset_hashes"]
    folder = os.path.join(cache_root(), "tokens", f"{hashes[spec['data']['dataset']][:16]}-{hashes['tokenizer'][:16]}")
    train_ids = load_tokens(folder, "train")
    val_ids = load_tokens(folder, "val") if os.path.exists(os.path.join(folder, "val.bin")) else train_ids
    vocab = int(run["summary"]["vocab_size"])
    device = torch.device(args.device)
    train_ids, val_ids = train_ids.to(device), val_ids.to(device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    # The run's precision: bf16 autocasts forward passes and losses, as Workbench's stages do.
    if spec.get("precision", "fp32") == "bf16":
        amp = lambda: torch.autocast(device.type, dtype=torch.bfloat16)
    else:
        amp = contextlib.nullcontext

    model = GPT(m, vocab).to(device)
    opt = train["optimizer"]
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": opt["weight_decay"]},
                                   {"params": no_decay, "weight_decay": 0.0}],
                                  lr=opt["lr"], betas=tuple(opt["betas"]), eps=1e-8)
    steps = args.steps or train["max_steps"]
    block, accum = m["block_size"], train["grad_accum"]
    micro = train["batch_size"] // accum
    every, batches = train["eval"]["every"], train["eval"]["batches"]
    span = train_ids.numel() - block
    positions = torch.arange(block, device=device)

    times, best, val = [], float("inf"), float("nan")
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, opt["lr"], train["schedule"], steps)
        started = time.perf_counter()
        for _ in range(accum):
            index = torch.randint(0, span, (micro, 1), device=device) + positions
            x, y = train_ids[index], train_ids[index + 1]
            with amp():
                logits = model(x)
                loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
            (loss / accum).backward()
            loss.item()
        if train["grad_clip"]:
            torch.nn.utils.clip_grad_norm_(model.parameters(), train["grad_clip"])
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        sync()
        times.append(time.perf_counter() - started)
        if (step + 1) % every == 0 or step + 1 == steps:
            val = evaluate(model, val_ids, batches, micro, block, amp)
            best = min(best, val)

    # A run of 10 steps or fewer has no steps after the warm-up ones: all of them count then.
    step_ms = statistics.mean(times[10:] or times) * 1e3
    print(json.dumps({
        "torch": torch.__version__, "device": str(device), "precision": spec.get("precision", "fp32"), "threads": torch.get_num_threads(), "steps": steps,
        "best_val_loss": best, "val_loss": val, "step_ms": step_ms,
        "tokens_per_s": train["batch_size"] * block * 1e3 / step_ms,
    }))


if __name__ == "__main__":
    main()
