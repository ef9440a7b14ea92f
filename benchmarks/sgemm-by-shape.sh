#!/usr/bin/env bash
# Where a run's BLAS time goes, product shape by product shape: runs the workbench under an interposer over
# sgemm_ (benchmarks/profile/sgemm_by_shape.c, built here with cc) and prints each shape's calls, total time
# and GFLOP/s, largest first, then the total. The shapes are BLAS's column-major view of libtorch's calls.
# Session 11 (RESULTS.md) used it on the char GPT to find that its products, at 47-80 GFLOP/s, were 56 ms of a
# 95 ms step; with Linear layers on oneDNN only what still reaches sgemm_ shows (WORKBENCH_ONEDNN=0 for all, and
# WORKBENCH_ONEDNN=0 SGEMM_BY_SHAPE_ONEDNN=1 to time the same calls on oneDNN).
#   usage: benchmarks/sgemm-by-shape.sh [workbench run arguments...]
#   default: configs/sotu-char-gpt.yaml --set threads=2 --set train.max_steps=300 --set model.bias=true --set train.eval.every=1000
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -shared -fPIC -o "$work/libsgemm_by_shape.so" benchmarks/profile/sgemm_by_shape.c -ldl -lpthread
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(configs/sotu-char-gpt.yaml --set threads=2 --set train.max_steps=300 --set model.bias=true --set train.eval.every=1000)
id=$(CI=true SGEMM_BY_SHAPE_DIR="$work" LD_PRELOAD="$work/libsgemm_by_shape.so" \
    bin/workbench run "${args[@]}" --name sgemm-by-shape --db "$work/wb.db" 2>/dev/null | tail -n 1)
step_ms=$(bin/workbench show "$id" --db "$work/wb.db" --json | grep -o '"step_ms": *[0-9.eE+-]*' | sed 's/.*: *//')
# The training process's file is the one with the most calls (other processes may have written small ones).
file=$(wc -l "$work"/sgemm.*.txt 2>/dev/null | grep -v ' total$' | sort -n | tail -n 1 | awk '{ print $2 }')
[ -n "$file" ] || { echo "sgemm-by-shape: no product reached sgemm_" >&2; exit 1; }
sort -t= -k7 -g -r "$file"
awk -F'ms=' '{ split($2, v, " "); total += v[1] } END { printf "total %.1f ms in sgemm_", total }' "$file"
echo "; the run's mean step ${step_ms} ms"
