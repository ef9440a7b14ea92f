#!/usr/bin/env bash
# Runs on the lent GPU machine, from the repository root, with build/device/bundle/ carried there: the
# CUDA checks and figures for benchmarks/RESULTS.md in one call (a lease is short; a fresh machine costs
# minutes to start):
#
#   bash scripts/device/measure.sh
#
#  1. run-on-device.sh: build the shim against the machine's PyTorch, doctor, doctor --check, then
#     sotu-char-gpt for WB_STEPS (default 2000) steps and mnist-cnn for WB_MNIST_EPOCHS (default 5).
#  2. The PyTorch reference (benchmarks/reference/gpt.py) of that char GPT run on the same GPU.
#  3. configs/gpt2-124m.yaml (bf16, GPT-2 small) for WB_GPT2_STEPS steps (default 200; 0 skips), and
#     its PyTorch reference likewise.
#
# Steps 2 and 3 go on after a failure of one of them, so that whatever was measured comes back. What
# comes back in $OUT: run-on-device.sh's files (log, SUMMARY.txt, reports, summaries, logs.tar.gz) and
# measure.tar.gz (the references' JSON, the gpt2-124m run's log, summary and metrics). Every figure is
# also printed as one `figure ...` line, so that the tail of the output alone holds them.
#
#   DEVICE_DRY_RUN=1   on a machine without a GPU (see run-on-device.sh); the references run on cpu with
#                      /usr/bin/python3 and step 3 is skipped unless WB_GPT2_STEPS is set.
set -uo pipefail
cd "$(dirname "$0")/../.."

OUT=${OUT:-/tmp/wb-device-out}
export OUT
dry=${DEVICE_DRY_RUN:-0}
device=cuda python=python3 gpt2_steps=${WB_GPT2_STEPS:-200}
if [ "$dry" = 1 ]; then device=cpu python=/usr/bin/python3 gpt2_steps=${WB_GPT2_STEPS:-0}; fi

WB_STEPS=${WB_STEPS:-2000} WB_MNIST_EPOCHS=${WB_MNIST_EPOCHS:-5} bash scripts/device/run-on-device.sh
rc=$?
if [ "$rc" -ne 0 ]; then echo "measure: run-on-device.sh failed ($rc); no references run"; exit "$rc"; fi

work=/tmp/wb-device
measure=$work/measure
rm -rf "$measure"
mkdir -p "$measure"
export DOTNET_ROOT=$work/dotnet WORKBENCH_CACHE=$work/cache WORKBENCH_NATIVE=$work/cli/libworkbench_native.so
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
wb() { "$work/dotnet/dotnet" "$work/cli/workbench.dll" "$@"; }
db=$work/runs/workbench.db
failed=0
trap 'tar -czf "$OUT/measure.tar.gz" -C "$work" measure 2>/dev/null' EXIT

# The figures of a workbench summary (show --json) and of a reference's JSON line, one line each.
figures() {
    local label=$1 file=$2
    printf 'figure %-22s %s\n' "$label" "$(grep -oE '"(best/val/loss|final/val/loss|test/acc|best_val_loss|val_loss|step_ms|tokens_per_s|samples_per_s|mfu|gpu_mem_gb|torch|torch_version)": *("[^"]*"|[0-9.eE+-]+)' "$file" | tr '\n' ' ')" | tee -a "$measure/figures.txt"
}

reference() {
    local label=$1 show=$2
    local t0=$SECONDS
    echo "+ $python benchmarks/reference/gpt.py $show --device $device"
    if "$python" benchmarks/reference/gpt.py "$show" --device "$device" > "$measure/$label.json" 2> "$measure/$label.log"; then
        figures "$label" "$measure/$label.json"
        echo "  ($((SECONDS - t0)) s wall)"
    else
        echo "measure: the reference $label failed:"; tail -n 20 "$measure/$label.log"; failed=1
    fi
}

echo; echo "=== the PyTorch reference of sotu-char-gpt on $device"
figures sotu-char-gpt "$work/logs/sotu-char-gpt.show.json"
[ -f "$work/logs/mnist-cnn.show.json" ] && figures mnist-cnn "$work/logs/mnist-cnn.show.json"
reference ref-sotu-char-gpt "$work/logs/sotu-char-gpt.show.json"

if [ "$gpt2_steps" != 0 ]; then
    echo; echo "=== configs/gpt2-124m.yaml on $device for $gpt2_steps steps"
    t0=$SECONDS
    if wb run configs/gpt2-124m.yaml --device "$device" --set train.max_steps="$gpt2_steps" \
            --set train.eval.every=100 --set train.checkpoint.every=1000 --name gpt2-124m --tag device --db "$db" \
            > "$measure/gpt2-124m.stdout" 2> "$measure/gpt2-124m.log"; then
        id=$(tail -n 1 "$measure/gpt2-124m.stdout")
        wb show "$id" --json --db "$db" > "$measure/gpt2-124m.show.json"
        wb export "$id" --format csv --out "$measure/gpt2-124m.metrics.csv" --db "$db"
        echo "  ($((SECONDS - t0)) s wall)"
        figures gpt2-124m "$measure/gpt2-124m.show.json"
        reference ref-gpt2-124m "$measure/gpt2-124m.show.json"
    else
        echo "measure: gpt2-124m failed:"; tail -n 30 "$measure/gpt2-124m.log"; failed=1
    fi
fi

echo; echo "=== figures"; cat "$measure/figures.txt"
[ "$failed" = 0 ] && echo "MEASURE DONE" || echo "MEASURE DONE WITH FAILURES"
exit "$failed"
