#!/usr/bin/env bash
# Data parallel on this machine (CPU, Gloo over 127.0.0.1):
#  1. the MNIST MLP step (configs/mnist-mlp.yaml, global batch 128) as 1 process x 2 threads against
#     2 processes x 1 thread (--nproc 2), the latter with the gradient all-reduces started during backward
#     (the reducer, the default) and after it (WORKBENCH_GRAD_OVERLAP=0), PARALLEL_REPEATS times
#     interleaved so that a shared machine's load falls on all alike: each run's summary.step_ms, and for
#     --nproc 2 the share of the step rank 0 spends waiting for all-reduces (summary.allreduce_ms / step_ms);
#  2. the all-reduce bandwidth of the char GPT's gradients (configs/sotu-char-gpt.yaml, --nproc 2, 1
#     thread each), both ways: its float32 gradient bytes (summary.params x 4) over summary.allreduce_ms
#     (with the reducer, the time backward did not hide).
#   PARALLEL_STEPS (default 500), PARALLEL_REPEATS (default 3), WORKBENCH (default bin/workbench)
set -euo pipefail
cd "$(dirname "$0")/.."

wb=${WORKBENCH:-bin/workbench}
steps=${PARALLEL_STEPS:-500}
repeats=${PARALLEL_REPEATS:-3}
db=$(mktemp -d)/workbench.db
trap 'rm -rf "$(dirname "$db")"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
summary() { $wb show "$1" --db "$db" --json | grep -o "\"$2\": *[0-9.eE+-]*" | sed 's/.*: *//'; }
# Evaluation only at the end: step_ms leaves it out anyway, this keeps the runs short.
run() { CI=true $wb run "$@" --set train.eval.every=1000000 --db "$db" 2>/dev/null | tail -n 1; }

one=() two=() share=() late=() late_share=()
pct() { awk -v r="$(summary "$1" allreduce_ms)" -v s="$2" 'BEGIN { print 100 * r / s }'; }
for i in $(seq "$repeats"); do
    a=$(run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads=2 --name parallel-1x2)
    b=$(run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads=1 --name parallel-2x1 --nproc 2)
    c=$(WORKBENCH_GRAD_OVERLAP=0 run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads=1 --name parallel-2x1-after --nproc 2)
    one+=("$(summary "$a" step_ms)") two+=("$(summary "$b" step_ms)") late+=("$(summary "$c" step_ms)")
    share+=("$(pct "$b" "${two[-1]}")") late_share+=("$(pct "$c" "${late[-1]}")")
    printf 'parallel round %d: 1x2 threads %7.3f ms  2x1 thread %7.3f ms (all-reduce %4.1f%%)  2x1 reduced after backward %7.3f ms (%4.1f%%)\n' \
        "$i" "${one[-1]}" "${two[-1]}" "${share[-1]}" "${late[-1]}" "${late_share[-1]}"
done
med() { printf '%s\n' "$@" | median; }
awk -v a="$(med "${one[@]}")" -v b="$(med "${two[@]}")" -v s="$(med "${share[@]}")" -v c="$(med "${late[@]}")" -v t="$(med "${late_share[@]}")" -v n="$steps" \
    'BEGIN { printf "mnist-mlp %d steps: 1 process x 2 threads %.3f ms, 2 processes x 1 thread %.3f ms (medians; ratio %.2f), all-reduce %.1f%% of the 2-process step; reduced after backward %.3f ms, all-reduce %.1f%%\n", n, a, b, b / a, s, c, t }'

gpt() { local g; g=$(run configs/sotu-char-gpt.yaml --set train.max_steps=60 --set train.schedule.warmup_steps=10 --set threads=1 --name parallel-gpt --nproc 2)
    awk -v w="$1" -v p="$(summary "$g" params)" -v r="$(summary "$g" allreduce_ms)" -v s="$(summary "$g" step_ms)" \
        'BEGIN { printf "sotu-char-gpt, 2 processes, %s: %.2f MB of gradients, all-reduce waited %.2f ms per step (%.0f MB/s) of a %.1f ms step\n", w, p * 4 / 1e6, r, p * 4 / 1e6 / (r / 1000), s }'; }
gpt "reducer (during backward)"
WORKBENCH_GRAD_OVERLAP=0 gpt "after backward"
