#!/usr/bin/env bash
# The char GPT's Linear products alone (benchmarks/profile/gemm_shapes.c, built here with cc), on OpenBLAS and on
# oneDNN, with warm operands and with operands cycling through 16 sets past the L3, each on THREADS threads (default:
# all cores) with the engine's threading settings. RESULTS.md (session 11) quotes its totals: oneDNN 1.81 s
# against OpenBLAS 2.56 s cold on a 2-core Zen 3, which is why the engine's Linear layers run on oneDNN.
#   usage: benchmarks/gemm-shapes.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/gemm_shapes" benchmarks/profile/gemm_shapes.c -ldl
for buffers in 1 16; do
    for library in openblas onednn; do
        echo "== $library, $([ "$buffers" = 1 ] && echo warm || echo "cold ($buffers operand sets)"), $threads threads"
        OPENBLAS_NUM_THREADS=$threads OPENBLAS_THREAD_TIMEOUT=18 OMP_NUM_THREADS=$threads OMP_WAIT_POLICY=PASSIVE \
            "$work/gemm_shapes" "$library" "$buffers"
    done
done
