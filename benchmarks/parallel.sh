#!/usr/bin/env bash
# Data parallel on this machine (CPU, Gloo over 127.0.0.1):
#  1. the MNIST MLP step (configs/mnist-mlp.yaml, global batch 128) as 1 process x 2 threads against
#     2 processes x 1 thread (--nproc 2), PARALLEL_REPEATS times interleaved so that a shared machine's
#     load falls on both alike: each run's summary.step_ms, and for --nproc 2 the share of the step rank 0
#     spends in all-reduces (summary.allreduce_ms / step_ms);
#  2. the all-reduce bandwidth of the char GPT's gradients (configs/sotu-char-gpt.yaml, --nproc 2, 1
#     thread each): its float32 gradient bytes (summary.params x 4) over summary.allreduce_ms.
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

one=() two=() share=()
for i in $(seq "$repeats"); do
    a=$(run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads=2 --name parallel-1x2)
    b=$(run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads=1 --name parallel-2x1 --nproc 2)
    one+=("$(summary "$a" step_ms)") two+=("$(summary "$b" step_ms)")
    share+=("$(awk -v r="$(summary "$b" allreduce_ms)" -v s="${two[-1]}" 'BEGIN { print 100 * r / s }')")
    printf 'parallel round %d: 1x2 threads %7.3f ms  2x1 thread %7.3f ms (all-reduce %4.1f%%)\n' "$i" "${one[-1]}" "${two[-1]}" "${share[-1]}"
done
awk -v a="$(printf '%s\n' "${one[@]}" | median)" -v b="$(printf '%s\n' "${two[@]}" | median)" -v s="$(printf '%s\n' "${share[@]}" | median)" -v n="$steps" \
    'BEGIN { printf "mnist-mlp %d steps: 1 process x 2 threads %.3f ms, 2 processes x 1 thread %.3f ms (medians; ratio %.2f), all-reduce %.1f%% of the 2-process step\n", n, a, b, b / a, s }'

g=$(run configs/sotu-char-gpt.yaml --set train.max_steps=60 --set train.schedule.warmup_steps=10 --set threads=1 --name parallel-gpt --nproc 2)
awk -v p="$(summary "$g" params)" -v r="$(summary "$g" allreduce_ms)" -v s="$(summary "$g" step_ms)" \
    'BEGIN { printf "sotu-char-gpt, 2 processes: %.2f MB of gradients all-reduced in %.2f ms per step (%.0f MB/s) of a %.1f ms step\n", p * 4 / 1e6, r, p * 4 / 1e6 / (r / 1000), s }'
