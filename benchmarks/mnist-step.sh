#!/usr/bin/env bash
# The MNIST MLP train step, Workbench against PyTorch on this machine: `bin/workbench run
# configs/mnist-mlp.yaml` for MNIST_STEPS steps (its summary.step_ms) and benchmarks/reference/mnist_mlp.py
# for as many steps with the same thread count, each MNIST_REPEATS times, interleaved so that a shared
# machine's load falls on both sides alike. Prints every measurement, the medians and the C#/PyTorch ratio.
#   MNIST_STEPS (default 1000), MNIST_THREADS (default: all cores), MNIST_REPEATS (default 3)
# Both sides get the same threading: the workbench lets idle OpenMP workers sleep (OMP_WAIT_POLICY=
# PASSIVE) unless told otherwise, and so does the PyTorch side here (stock PyTorch spins), with
# OpenBLAS's pool sized to the thread count and the engine's kernel set.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=${MNIST_STEPS:-1000}
threads=${MNIST_THREADS:-$(nproc)}
repeats=${MNIST_REPEATS:-3}
db=$(mktemp -d)/workbench.db
trap 'rm -rf "$(dirname "$db")"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# The PyTorch side gets the engine's kernel set and threading (see gpt-vs-pytorch.sh).
core=$(bin/workbench doctor 2>/dev/null | sed -n 's/^openblas *\([A-Za-z0-9_]*\) kernels.*/\1/p')
echo "mnist-step: OpenBLAS kernels ${core:-(none)} on both sides" >&2

csharp=() python=()
for i in $(seq "$repeats"); do
    id=$(CI=true bin/workbench run configs/mnist-mlp.yaml --set train.max_steps="$steps" --set threads="$threads" \
        --name mnist-step --db "$db" 2>/dev/null | tail -n 1)
    ms=$(bin/workbench show "$id" --db "$db" --json | grep -o '"step_ms": *[0-9.eE+-]*' | sed 's/.*: *//')
    csharp+=("$ms")
    py=$(env OPENBLAS_NUM_THREADS="$threads" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-18}" ${core:+OPENBLAS_CORETYPE=$core} \
        /usr/bin/python3 benchmarks/reference/mnist_mlp.py --steps "$steps" --threads "$threads" | sed -n 's/^step_ms //p')
    python+=("$py")
    printf 'mnist-step round %d: workbench %8.3f ms  pytorch %8.3f ms\n' "$i" "$ms" "$py"
done

c=$(printf '%s\n' "${csharp[@]}" | median)
p=$(printf '%s\n' "${python[@]}" | median)
awk -v c="$c" -v p="$p" -v s="$steps" -v t="$threads" \
    'BEGIN { printf "mnist-step %d steps, %d threads: workbench %.3f ms, pytorch %.3f ms (medians), ratio C#/PyTorch %.2f\n", s, t, c, p, c / p }'
