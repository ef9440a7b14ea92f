#!/usr/bin/env bash
# The workbench's MNIST MLP and char GPT training steps against the TorchSharp peer
# (../shared/peers/torchsharp/run.sh: TorchSharp 0.107 on its own libtorch 2.10 with MKL, the same
# models and steps), in interleaved rounds so that a shared machine's load falls on both alike.
# Prints each round's step times and ratio (workbench / TorchSharp), then per model the geometric
# mean of the ratios with a 95% t-interval over the rounds: on a cloud VM single rounds move by
# 10-15%, so "faster" is claimed only when the interval's top is below 1.
#   VS_ROUNDS (default 6), VS_MODELS (default "mlp gpt"), VS_THREADS (default: all cores),
#   VS_ENV (extra VAR=VALUE words for the workbench side only, e.g. WORKBENCH_ONEDNN=0)
set -euo pipefail
cd "$(dirname "$0")/.."

peer=../shared/peers/torchsharp/run.sh
[ -x "$peer" ] || { echo "vs-torchsharp: skipped ($peer is not there)"; exit 0; }
rounds=${VS_ROUNDS:-6}
threads=${VS_THREADS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

workbench_ms() {
    local sets
    case $1 in
        mlp) sets=(configs/mnist-mlp.yaml --set train.max_steps=1000) ;;
        gpt) sets=(configs/sotu-char-gpt.yaml --set train.max_steps=300 --set model.bias=true --set train.eval.every=1000) ;;
    esac
    local id
    id=$(env CI=true ${VS_ENV:-} bin/workbench run "${sets[@]}" --set threads="$threads" --name vs-torchsharp --db "$work/wb.db" 2>/dev/null | tail -n 1)
    bin/workbench show "$id" --db "$work/wb.db" --json | grep -o '"step_ms": *[0-9.eE+-]*' | sed 's/.*: *//'
}

peer_ms() {
    local steps=300
    [ "$1" = mlp ] && steps=1000
    "$peer" "$1" "$threads" "$steps" 2>/dev/null | sed -n 's/.*ms_per_step=\([0-9.eE+-]*\).*/\1/p'
}

echo "vs-torchsharp: $rounds rounds, $threads threads, $(env ${VS_ENV:-} bin/workbench doctor 2>/dev/null | grep -E '^(cpu|openblas|linear) ' | tr -s ' ' | paste -sd ';')"
for r in $(seq "$rounds"); do
    for model in ${VS_MODELS:-mlp gpt}; do
        wb=$(workbench_ms "$model")
        ts=$(peer_ms "$model")
        echo "$model $wb $ts" >> "$work/rounds"
        printf 'round %d %-3s workbench %8.2f ms  TorchSharp %8.2f ms  ratio %.3f\n' "$r" "$model" "$wb" "$ts" "$(echo "$wb / $ts" | bc -l)"
    done
done

# Geometric mean of the ratios and a 95% t-interval on their logarithms (two-sided, n - 1 degrees of freedom).
for model in ${VS_MODELS:-mlp gpt}; do
    awk -v m="$model" '
        BEGIN { split("12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 2.201 2.179 2.160 2.145 2.131", t, " ") }
        $1 == m { n++; x[n] = log($2 / $3); s += x[n]; wb += $2; ts += $3 }
        END {
            if (n == 0) exit
            mean = s / n
            for (i = 1; i <= n; i++) v += (x[i] - mean) ^ 2
            half = n > 1 ? (n - 1 <= 15 ? t[n - 1] : 2.0) * sqrt(v / (n - 1) / n) : 0
            printf "%s: workbench %.2f ms, TorchSharp %.2f ms (means of %d rounds); ratio %.3f, 95%% interval %.3f-%.3f%s\n",
                m, wb / n, ts / n, n, exp(mean), exp(mean - half), exp(mean + half),
                exp(mean + half) < 1 ? ": faster" : (exp(mean - half) > 1 ? ": slower" : ": not told apart")
        }' "$work/rounds"
done
