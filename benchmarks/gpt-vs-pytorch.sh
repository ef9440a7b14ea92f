#!/usr/bin/env bash
# A Workbench GPT pretrain run against benchmarks/reference/gpt.py, the same model and loop in PyTorch,
# on the same token stream (the run's own token cache), hyperparameters and thread count. Each side
# runs GPT_REPEATS times, interleaved so that a shared machine's load falls on both alike. Prints each
# round's best val loss and mean step time, the medians, the val-loss gap and the C#/PyTorch step ratio.
#   GPT_CONFIG (default configs/sotu-char-gpt.yaml), GPT_STEPS (default: the config's max_steps),
#   GPT_THREADS (default: all cores), GPT_REPEATS (default 1), GPT_SET (extra --set KEY=VALUE words)
# Both sides get the same threading and kernels: OpenBLAS's pool sized to the thread count, the kernel
# set the engine runs on (OPENBLAS_CORETYPE, as `workbench doctor` reports it: on a CPU OpenBLAS does
# not recognise, PyTorch alone would get its oldest kernels) and the OpenMP wait policy the workbench
# uses (PASSIVE: idle workers sleep) unless OMP_WAIT_POLICY is set, and OpenBLAS's short spin before
# its idle workers sleep (OPENBLAS_THREAD_TIMEOUT=18); stock PyTorch spins its idle workers, which
# costs it dearly on a small shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

config=${GPT_CONFIG:-configs/sotu-char-gpt.yaml}
threads=${GPT_THREADS:-$(nproc)}
repeats=${GPT_REPEATS:-1}
sets=(--set threads="$threads")
[ -z "${GPT_STEPS:-}" ] || sets+=(--set train.max_steps="$GPT_STEPS")
for s in ${GPT_SET:-}; do sets+=(--set "$s"); done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
field() { grep -o "\"$1\": *[0-9.eE+-]*" | head -1 | sed 's/.*: *//'; }

core=$(bin/workbench doctor 2>/dev/null | sed -n 's/^openblas *\([A-Za-z0-9_]*\) kernels.*/\1/p')
echo "gpt: OpenBLAS kernels ${core:-(none)} on both sides" >&2

cs_ms=() py_ms=() cs_loss=() py_loss=()
for i in $(seq "$repeats"); do
    id=$(CI=true bin/workbench run "$config" "${sets[@]}" --name gpt-bench --db "$work/wb.db" 2>/dev/null | tail -n 1)
    bin/workbench show "$id" --db "$work/wb.db" --json > "$work/run.json"
    cs_ms+=("$(field step_ms < "$work/run.json")")
    cs_loss+=("$(field best/val/loss < "$work/run.json")")
    env OPENBLAS_NUM_THREADS="$threads" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" OPENBLAS_THREAD_TIMEOUT="${OPENBLAS_THREAD_TIMEOUT:-18}" ${core:+OPENBLAS_CORETYPE=$core} \
        /usr/bin/python3 benchmarks/reference/gpt.py "$work/run.json" --threads "$threads" > "$work/py.json"
    py_ms+=("$(field step_ms < "$work/py.json")")
    py_loss+=("$(field best_val_loss < "$work/py.json")")
    printf 'gpt round %d: workbench %8.2f ms/step best val %.4f   pytorch %8.2f ms/step best val %.4f\n' \
        "$i" "${cs_ms[-1]}" "${cs_loss[-1]}" "${py_ms[-1]}" "${py_loss[-1]}"
done

c=$(printf '%s\n' "${cs_ms[@]}" | median); p=$(printf '%s\n' "${py_ms[@]}" | median)
cl=$(printf '%s\n' "${cs_loss[@]}" | median); pl=$(printf '%s\n' "${py_loss[@]}" | median)
awk -v c="$c" -v p="$p" -v cl="$cl" -v pl="$pl" -v t="$threads" -v cfg="$config" \
    'BEGIN { printf "gpt %s, %d threads: step %.2f vs %.2f ms (ratio C#/PyTorch %.2f), best val loss %.4f vs %.4f (gap %+.4f)\n", cfg, t, c, p, c / p, cl, pl, cl - pl }'
