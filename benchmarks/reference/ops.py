#!/usr/bin/python3
"""PyTorch reference for benchmarks/Workbench.Benchmarks/EngineOpBenchmarks.cs.

Run with Debian's PyTorch: /usr/bin/python3 benchmarks/reference/ops.py [--threads N]
Prints the per-op time of a + b on 1-element tensors and 1024^3 fp32 matmul GFLOP/s, each the
median of several timed rounds after a warm-up, with the same thread count as the C# run.
"""
import argparse
import os
import statistics
import time

import torch


def per_call(fn, calls, rounds=7):
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    a, b = torch.tensor([1.0]), torch.tensor([2.0])
    tiny = per_call(lambda: a + b, 200_000)
    m, n = torch.randn(1024, 1024), torch.randn(1024, 1024)
    matmul = per_call(lambda: m @ n, 10)

    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"tiny add: {tiny * 1e9:.0f} ns/op")
    print(f"matmul 1024^3 fp32: {matmul * 1e3:.2f} ms, {2 * 1024 ** 3 / matmul / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
